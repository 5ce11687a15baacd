package io.extrophi.orchestrator.state;

import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When and how the state is saved: holds the data directory's lock ({@link DataDirectoryClaim}),
 * reads the saved state once at the start, then writes what changed at a steady pace, and a last
 * time on the way out. What is written comes from a {@link Source}; every outcome goes to {@link
 * PersistenceHealth} and is published on {@link EventBusAddresses#PERSISTENCE_CHANGED}.
 *
 * <p>Runs on the context of the verticle that owns the state, which calls {@link #claim()} first
 * and {@link #stop()} (or {@link #release()} after a failed start) last.
 */
public final class StateSaver {

  private static final Logger LOG = LoggerFactory.getLogger(StateSaver.class);

  /** A write is followed by a pause of at least this many times its length. */
  static final int PAUSE_PER_WRITE = 4;

  /** What the saver writes: the owner's state, as chunks. */
  public interface Source {

    /**
     * The state to write, one chunk per call and {@code null} after the last, or {@code null} when
     * nothing changed since the last time it was taken. Taking it counts as saved.
     */
    Supplier<Buffer> takeChanges();

    /** The state taken last was not written: it is to be taken again. */
    void notWritten();
  }

  private final Vertx vertx;
  private final StateFile stateFile;
  private final PersistenceHealth persistence;
  private final DataDirectoryClaim claim;
  private final Source source;

  private long flushTimer = -1;
  private Future<Void> lastFlush = Future.succeededFuture();
  private boolean stopping;

  public StateSaver(Vertx vertx, String dataDir, Clock clock, Source source) {
    this.vertx = vertx;
    this.stateFile = new StateFile(vertx, dataDir, clock);
    this.persistence = new PersistenceHealth(stateFile.path(), clock);
    this.claim = new DataDirectoryClaim(vertx, dataDir);
    this.source = source;
  }

  /** The lock, taken before the read: another instance's state is neither read nor overwritten. */
  public Future<Void> claim() {
    return claim.take();
  }

  /** The saved state, decoded; empty when there is none. */
  public <T> Future<Optional<T>> read(Function<Buffer, T> decoder) {
    return stateFile.read(decoder);
  }

  /**
   * The saved state, decoded by a decoder that may work on worker threads: see {@link
   * StateFile#readAsync}.
   */
  public <T> Future<Optional<T>> readAsync(Function<Buffer, Future<T>> decoder) {
    return stateFile.readAsync(decoder);
  }

  public String path() {
    return stateFile.path();
  }

  /** Whether the state is being saved, for {@code GET /} and {@code GET /metrics}. */
  public PersistenceStatus status() {
    return persistence.status();
  }

  /** Starts writing the state every {@code every}. */
  public void flushEvery(Duration every) {
    scheduleFlush(every.toMillis(), every.toMillis());
  }

  /**
   * The last flush on the way out: a clean shutdown loses nothing. If it cannot be written, one
   * line says so and why; the stop goes on as usual. The lock is released after the last write, so
   * the next instance can start as soon as this one ends.
   */
  public Future<Void> stop() {
    stopping = true;
    vertx.cancelTimer(flushTimer);
    return flush()
        .recover(
            failure -> {
              LOG.error(
                  "the final state could not be written to {}: {}; the checks since {} are lost",
                  stateFile.path(),
                  WriteFailureReason.of(failure),
                  describeLastSaved());
              return Future.succeededFuture();
            })
        .compose(flushed -> claim.release());
  }

  /** Releases the lock after a failed start, which is never stopped: the lock would outlive it. */
  public Future<Void> release() {
    return claim.release();
  }

  private String describeLastSaved() {
    Instant saved = persistence.status().lastSaved();
    return saved == null ? "the start" : "the last write at " + saved;
  }

  /** The pause after a write that took {@code tookMs}: see {@link #scheduleFlush}. */
  static long pauseAfter(long tookMs, long intervalMs) {
    return Math.max(intervalMs - tookMs, PAUSE_PER_WRITE * tookMs);
  }

  /**
   * Flushes after {@code delayMs}, then again one interval after that flush started: a check is on
   * disk at most one interval (and one write) after it was made, from the first second on. A long
   * write (a huge fleet) is followed by a pause of at least {@value #PAUSE_PER_WRITE} times its
   * length, so writing never takes more than a fifth of the time: at 100,000 services with every
   * statistic full a write takes seconds of the event loop's time, and the pause of one interval
   * that followed it before left writing half of it, which the probes' schedule felt.
   */
  private void scheduleFlush(long delayMs, long intervalMs) {
    flushTimer =
        vertx.setTimer(
            Math.max(1, delayMs),
            tick -> {
              long started = System.nanoTime();
              flush()
                  .onComplete(
                      done -> {
                        if (!stopping) {
                          long tookMs = (System.nanoTime() - started) / 1_000_000;
                          scheduleFlush(pauseAfter(tookMs, intervalMs), intervalMs);
                        }
                      });
            });
  }

  /**
   * Writes the state if it changed; one write at a time, so files never interleave. The source
   * hands the state over in chunks, so a large fleet's state neither sits in the heap whole nor
   * blocks the event loop while it is encoded. Its outcome goes to {@link PersistenceHealth}, which
   * says in the log, {@code GET /} and {@code GET /metrics} whether the state is being saved.
   */
  private Future<Void> flush() {
    lastFlush =
        lastFlush.transform(
            previous -> {
              Supplier<Buffer> chunks = source.takeChanges();
              if (chunks == null) {
                return Future.succeededFuture();
              }
              return claim
                  .ensureHeld()
                  .compose(locked -> stateFile.write(chunks))
                  .onSuccess(written -> publish(persistence.saved()))
                  .onFailure(
                      failure -> {
                        // Still to be saved: the next flush tries again.
                        source.notWritten();
                        if (!stopping) {
                          // On the way out, stop() says it in one line of its own.
                          publish(persistence.failed(failure));
                        }
                      });
            });
    return lastFlush;
  }

  private void publish(PersistenceStatus status) {
    vertx
        .eventBus()
        .publish(
            EventBusAddresses.PERSISTENCE_CHANGED,
            status.toMessage(),
            new DeliveryOptions().setLocalOnly(true));
  }
}
