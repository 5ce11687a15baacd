package io.extrophi.orchestrator.bench;

import io.extrophi.orchestrator.bus.ProbeResult;
import io.extrophi.orchestrator.state.StateFile;
import io.extrophi.orchestrator.status.ServiceStatus;
import io.extrophi.orchestrator.status.StatusStateCodec;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes a state file in which every statistic of every service is full, for {@code scripts/bench}
 * to measure the orchestrator's memory at its steady state without running for 30 days: the
 * services {@code s0} to {@code sN-1} have a result in each of the last 720 hours (so the 30-day
 * availability rings are all in use, and one service in a hundred has been down, so it also keeps
 * its ring of down counts), one result a second over the last hour (a full latency window of a
 * log-normal latency around 20 ms), and a full history with a few error messages.
 *
 * <p>Run with {@code java -cp target/orchestrator.jar io.extrophi.orchestrator.bench.StateFiller
 * --services N --dir DIR}; it writes {@code DIR/state.bin} as the service would, and exits.
 */
public final class StateFiller {

  private static final long HOUR_MS = 3_600_000L;
  private static final int HISTORY_SIZE = 100;

  private StateFiller() {}

  /** The statuses of {@code count} services with every statistic full at {@code now}. */
  static List<ServiceStatus> fill(int count, Instant now) {
    Random random = new Random(42);
    long nowMillis = now.toEpochMilli();
    List<ServiceStatus> services = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
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
      for (long second = 3_600; second > 0; second--) {
        Instant at = Instant.ofEpochMilli(nowMillis - second * 1_000L);
        double ms = 20.0 * Math.exp(random.nextGaussian() * 0.5);
        status.apply(
            random.nextInt(200) == 0
                ? ProbeResult.failure(name, null, ms, "timeout after 5000 ms", at)
                : ProbeResult.success(name, 200, ms, at));
      }
      services.add(status);
    }
    return services;
  }

  /** Options: {@code --services N} (required) and {@code --dir DIR} (required). */
  public static void main(String[] args) {
    Integer count = null;
    String dir = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--services" -> count = BenchArgs.number(args[i], args[i + 1], 1, 1_000_000);
        case "--dir" -> dir = args[i + 1];
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
    Buffer payload = StatusStateCodec.encode(fill(count, Instant.now()));
    Vertx vertx = Vertx.vertx();
    String directory = dir;
    int services = count;
    new StateFile(vertx, directory, Clock.systemUTC())
        .write(payload)
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
}
