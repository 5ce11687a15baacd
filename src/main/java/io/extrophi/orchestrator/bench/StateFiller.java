package io.extrophi.orchestrator.bench;

import io.extrophi.orchestrator.bus.ProbeResult;
import io.extrophi.orchestrator.state.StateFile;
import io.extrophi.orchestrator.status.ServiceStatus;
import io.extrophi.orchestrator.status.StatusStateCodec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Writes a state file in which every statistic of every service is full, for {@code scripts/bench}
 * to measure the orchestrator's memory at its steady state without running for 30 days: the
 * services {@code s0} to {@code sN-1} have a result in each of the last 720 hours (so the 30-day
 * availability rings are all in use, and one service in a hundred has been down, so it also keeps
 * its ring of down counts), one result a second (or every {@code --interval-seconds}) over the last
 * hour (a full latency window of a log-normal latency around 20 ms), and a full history with a few
 * error messages.
 *
 * <p>Run with {@code java -cp target/orchestrator.jar io.extrophi.orchestrator.bench.StateFiller
 * --services N --dir DIR [--interval-seconds S]}; it writes {@code DIR/state.bin} as the service
 * would, and exits. With {@code --time-writes K} it then writes the same state K more times as the
 * service does (forced to the disk before the rename, the directory after it) and K times without
 * forcing anything (the writes before the state was forced), alternately, and prints the median
 * time of each: what durability against a power loss costs.
 */
public final class StateFiller {

  private static final long HOUR_MS = 3_600_000L;
  private static final int HISTORY_SIZE = 100;

  private StateFiller() {}

  /** The statuses of {@code count} services with every statistic full at {@code now}. */
  static List<ServiceStatus> fill(int count, Instant now) {
    return fill(count, now, 1);
  }

  /**
   * The statuses of {@code count} services checked every {@code intervalSeconds} with every
   * statistic full at {@code now}: the last hour has a result every interval (latency window and
   * history), each hour before it one result (so every availability bucket is in use). Filled on
   * every core, service {@code i} from a random sequence of its own.
   */
  static List<ServiceStatus> fill(int count, Instant now, int intervalSeconds) {
    ServiceStatus[] services = new ServiceStatus[count];
    IntStream.range(0, count)
        .parallel()
        .forEach(i -> services[i] = fillOne(i, now.toEpochMilli(), intervalSeconds));
    return Arrays.asList(services);
  }

  private static ServiceStatus fillOne(int i, long nowMillis, int intervalSeconds) {
    Random random = new Random(42L + i);
    String name = "s" + i;
    ServiceStatus status = new ServiceStatus(name, HISTORY_SIZE);
    boolean wasDown = i % 100 == 0;
    for (int hour = 720; hour > 1; hour--) {
      Instant at = Instant.ofEpochMilli(nowMillis - hour * HOUR_MS);
      status.apply(
          wasDown && hour == 300
              ? ProbeResult.failure(name, 503, 3.0, "HTTP 503", at)
              : ProbeResult.success(name, 200, 20.0, at));
    }
    for (long second = 3_600; second > 0; second -= intervalSeconds) {
      Instant at = Instant.ofEpochMilli(nowMillis - second * 1_000L);
      double ms = 20.0 * Math.exp(random.nextGaussian() * 0.5);
      status.apply(
          random.nextInt(200) == 0
              ? ProbeResult.failure(name, null, ms, "timeout after 5000 ms", at)
              : ProbeResult.success(name, 200, ms, at));
    }
    return status;
  }

  /**
   * Options: {@code --services N} (required), {@code --dir DIR} (required), {@code --time-writes
   * K}, {@code --time-restore 1} (decode what was filled, and print its CPU time and heap).
   */
  public static void main(String[] args) {
    Integer count = null;
    String dir = null;
    int timedWrites = 0;
    int intervalSeconds = 1;
    boolean timeRestore = false;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--services" -> count = BenchArgs.number(args[i], args[i + 1], 1, 1_000_000);
        case "--dir" -> dir = args[i + 1];
        case "--time-writes" -> timedWrites = BenchArgs.number(args[i], args[i + 1], 1, 100);
        case "--time-restore" -> timeRestore = BenchArgs.number(args[i], args[i + 1], 0, 1) == 1;
        case "--interval-seconds" ->
            intervalSeconds = BenchArgs.number(args[i], args[i + 1], 1, 3_600);
        default -> {
          System.err.println("StateFiller: unknown option " + args[i]);
          System.exit(2);
        }
      }
    }
    if (count == null || dir == null || args.length % 2 != 0) {
      System.err.println("StateFiller: --services N and --dir DIR are required");
      System.exit(2);
      return;
    }
    long heapBefore = usedHeapAfterGc();
    List<ServiceStatus> filled = fill(count, Instant.now(), intervalSeconds);
    long heapPerService = (usedHeapAfterGc() - heapBefore) / count;
    System.out.println(
        "StateFiller: " + count + " full services hold " + heapPerService + " bytes of heap each");
    Buffer payload = StatusStateCodec.encode(filled);
    filled = null;
    if (timeRestore) {
      timeRestore(payload, count);
    }
    Vertx vertx = Vertx.vertx();
    String directory = dir;
    int services = count;
    int rounds = timedWrites;
    StateFile file = new StateFile(vertx, directory, Clock.systemUTC());
    file.write(payload)
        .compose(
            first ->
                rounds == 0 ? Future.succeededFuture() : timeWrites(vertx, file, payload, rounds))
        .onComplete(
            written -> {
              if (written.succeeded()) {
                System.out.println(
                    "StateFiller: wrote the state of "
                        + services
                        + " services ("
                        + payload.length() / 1024
                        + " KB) to "
                        + directory);
              } else {
                System.err.println("StateFiller: " + written.cause().getMessage());
              }
              vertx.close().onComplete(closed -> System.exit(written.succeeded() ? 0 : 1));
            });
  }

  /** Writes the state {@code rounds} times each way, alternately; prints the medians. */
  private static Future<Void> timeWrites(Vertx vertx, StateFile file, Buffer payload, int rounds) {
    List<Long> forcedMs = new ArrayList<>();
    List<Long> unforcedMs = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int round = 0; round < rounds; round++) {
      chain =
          chain
              .compose(
                  previous -> {
                    long started = System.nanoTime();
                    return file.write(payload)
                        .onSuccess(done -> forcedMs.add((System.nanoTime() - started) / 1_000_000));
                  })
              .compose(
                  previous ->
                      vertx.executeBlocking(
                          () -> {
                            long started = System.nanoTime();
                            writeUnforced(Path.of(file.path() + ".unforced"), payload);
                            unforcedMs.add((System.nanoTime() - started) / 1_000_000);
                            return null;
                          },
                          false));
    }
    return chain.onSuccess(
        done ->
            System.out.println(
                "StateFiller: state write of "
                    + payload.length() / 1024
                    + " KB, median of "
                    + rounds
                    + ": forced "
                    + median(forcedMs)
                    + " ms, not forced "
                    + median(unforcedMs)
                    + " ms"));
  }

  /**
   * The same bytes written as before they were forced (temporary file, rename, nothing forced), to
   * a file of its own that is removed again: the state file stays the service's.
   */
  private static void writeUnforced(Path target, Buffer payload) throws IOException {
    Path temporary = Path.of(target + ".tmp");
    Files.write(temporary, payload.getBytes());
    Files.move(
        temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Files.delete(target);
  }

  /**
   * Decodes the payload as a restart does (the whole of it, on this thread) and prints the CPU time
   * it took and the heap the restored statuses hold: CPU time, not wall time, so that a busy
   * machine does not change the figure much.
   */
  private static void timeRestore(Buffer payload, int count) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long heapBefore = usedHeapAfterGc();
    long cpuBefore = threads.getCurrentThreadCpuTime();
    long wallBefore = System.nanoTime();
    Map<String, ServiceStatus> restored =
        StatusStateCodec.decode(payload, HISTORY_SIZE, Instant.now());
    long cpuMs = (threads.getCurrentThreadCpuTime() - cpuBefore) / 1_000_000;
    long wallMs = (System.nanoTime() - wallBefore) / 1_000_000;
    long heapPerService = (usedHeapAfterGc() - heapBefore) / count;
    System.out.println(
        "StateFiller: restored "
            + restored.size()
            + " services in "
            + cpuMs
            + " ms of CPU ("
            + wallMs
            + " ms wall); they hold "
            + heapPerService
            + " bytes of heap each");
  }

  /** Heap in use after a full collection (a few, so that the count settles). */
  static long usedHeapAfterGc() {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }
}
