package io.extrophi.orchestrator.alert;

import static io.extrophi.orchestrator.testing.Checked.thenComplete;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.alert.AttemptOutcome.Kind;
import io.extrophi.orchestrator.bus.HealthState;
import io.extrophi.orchestrator.bus.HealthTransition;
import io.extrophi.orchestrator.config.AlertFormat;
import io.extrophi.orchestrator.config.AlertSettings;
import io.extrophi.orchestrator.testing.Eventually;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The queue of one receiver against scripted attempts: order, one at a time, retries, giving up,
 * the bound. Every call runs on one Vert.x context, as in the verticle.
 */
@ExtendWith(VertxExtension.class)
@IntegrationTest
class DeliveryQueueTest {

  private static final Receiver RECEIVER =
      new Receiver("http://127.0.0.1:1/hook", AlertFormat.JSON);

  /** Attempts answered by the test: each one waits for {@link #answer} unless a default is set. */
  private final class ScriptedAttempts implements DeliveryQueue.Attempts {
    final List<String> sent = new CopyOnWriteArrayList<>();
    final Map<String, Promise<AttemptOutcome>> pending = new ConcurrentHashMap<>();
    volatile AttemptOutcome always;

    @Override
    public Future<AttemptOutcome> send(
        Receiver receiver, Alert alert, int attempt, Duration timeout) {
      sent.add(alert.service() + "#" + attempt);
      if (always != null) {
        return Future.succeededFuture(always);
      }
      Promise<AttemptOutcome> promise = Promise.promise();
      pending.put(alert.service(), promise);
      return promise.future();
    }

    void answer(String service, Kind kind) {
      context.runOnContext(
          ignored -> pending.remove(service).complete(new AttemptOutcome(kind, kind.name(), null)));
    }
  }

  private Context context;
  private final ScriptedAttempts attempts = new ScriptedAttempts();
  private final AlertStats stats = new AlertStats();

  @BeforeEach
  void createContext(Vertx vertx) {
    context = vertx.getOrCreateContext();
  }

  private static Alert alert(String service) {
    return Alert.of(
        new HealthTransition(
            service, HealthState.HEALTHY, HealthState.UNHEALTHY, "HTTP 503", Instant.EPOCH),
        null,
        null);
  }

  private static AlertSettings settings(int queueSize, int maxAttempts) {
    return AlertSettings.builder()
        .queueSize(queueSize)
        .maxAttempts(maxAttempts)
        .retryInitial(Duration.ofMillis(5))
        .retryMax(Duration.ofMillis(20))
        .attemptTimeout(Duration.ofSeconds(1))
        .build();
  }

  private DeliveryQueue queue(Vertx vertx, AlertSettings settings) {
    return new DeliveryQueue(vertx, RECEIVER, attempts, settings, stats);
  }

  /** Runs {@code action} on the queue's context; completes once it has run. */
  private Future<Void> onContext(Runnable action) {
    Promise<Void> ran = Promise.promise();
    context.runOnContext(
        ignored -> {
          action.run();
          ran.complete();
        });
    return ran.future();
  }

  /** Offers an alert for each service, in order, on the queue's context. */
  private Future<Void> offer(DeliveryQueue queue, String... services) {
    return onContext(
        () -> {
          for (String service : services) {
            queue.offer(alert(service));
          }
        });
  }

  /** Answers the attempt of {@code service} as delivered, then waits until {@code condition}. */
  private Future<Void> delivered(Vertx vertx, String service, BooleanSupplier condition) {
    attempts.answer(service, Kind.DELIVERED);
    return Eventually.until(vertx, condition, 10_000);
  }

  @Test
  void alertsGoOneAtATimeInTheOrderTheyCame(Vertx vertx, VertxTestContext test) {
    DeliveryQueue queue = queue(vertx, settings(10, 3));
    offer(queue, "a", "b", "c");
    Eventually.until(vertx, () -> attempts.pending.containsKey("a"), 10_000)
        .compose(
            first -> {
              // b waits for a, however long a takes.
              assertThat(attempts.sent).containsExactly("a#1");
              return delivered(vertx, "a", () -> attempts.pending.containsKey("b"));
            })
        .compose(
            second -> {
              return delivered(vertx, "b", () -> attempts.pending.containsKey("c"));
            })
        .compose(
            third -> {
              return delivered(vertx, "c", () -> stats.sent() == 3);
            })
        .onComplete(
            thenComplete(
                test,
                done -> {
                  assertThat(attempts.sent).containsExactly("a#1", "b#1", "c#1");
                  assertThat(stats.toJson().encode())
                      .isEqualTo(
                          "{\"queued\":3,\"sent\":3,\"failed\":0,\"dropped\":0,\"retried\":0}");
                  assertThat(queue.size()).isZero();
                }));
  }

  @Test
  void aFullQueueDropsItsOldestWaitingAlert(Vertx vertx, VertxTestContext test) {
    DeliveryQueue queue = queue(vertx, settings(2, 3));
    offer(queue, "a", "b", "c", "d");
    Eventually.until(vertx, () -> stats.dropped() == 1, 10_000)
        .compose(
            full -> {
              assertThat(queue.size()).isEqualTo(3);
              attempts.always = new AttemptOutcome(Kind.DELIVERED, "HTTP 200", null);
              return delivered(vertx, "a", () -> stats.sent() == 3);
            })
        .onComplete(
            thenComplete(
                test,
                done -> {
                  // a was being delivered; b was the oldest waiting one.
                  assertThat(attempts.sent).containsExactly("a#1", "c#1", "d#1");
                  assertThat(stats.queued()).isEqualTo(4);
                  assertThat(stats.dropped()).isEqualTo(1);
                }));
  }

  @Test
  void aFailingAlertIsRetriedThenGivenUpAndTheNextOneGoes(Vertx vertx, VertxTestContext test) {
    attempts.always = new AttemptOutcome(Kind.RETRY, "HTTP 503", null);
    DeliveryQueue queue = queue(vertx, settings(10, 3));
    offer(queue, "a", "b");
    Eventually.until(vertx, () -> stats.failed() == 2, 10_000)
        .onComplete(
            thenComplete(
                test,
                done -> {
                  assertThat(attempts.sent)
                      .containsExactly("a#1", "a#2", "a#3", "b#1", "b#2", "b#3");
                  assertThat(stats.retried()).isEqualTo(4);
                  assertThat(stats.sent()).isZero();
                }));
  }

  @Test
  void aRefusedAlertIsNotRetried(Vertx vertx, VertxTestContext test) {
    attempts.always = new AttemptOutcome(Kind.REJECTED, "HTTP 400", null);
    DeliveryQueue queue = queue(vertx, settings(10, 5));
    // Alerts go one at a time: a retry of a would come before b's first attempt.
    offer(queue, "a", "b");
    Eventually.until(vertx, () -> stats.failed() == 2, 10_000)
        .onComplete(
            thenComplete(
                test,
                done -> {
                  assertThat(attempts.sent).containsExactly("a#1", "b#1");
                  assertThat(stats.retried()).isZero();
                }));
  }

  @Test
  void closingDropsWhatWaitsAndCountsTheAttemptInFlightByItsAnswer(
      Vertx vertx, VertxTestContext test) {
    DeliveryQueue queue = queue(vertx, settings(10, 5));
    offer(queue, "a", "b", "c");
    Eventually.until(vertx, () -> attempts.pending.containsKey("a"), 10_000)
        .compose(
            inFlight -> {
              onContext(queue::close);
              return Eventually.until(vertx, () -> stats.dropped() == 2, 10_000);
            })
        .compose(
            closed -> {
              return delivered(vertx, "a", () -> stats.sent() == 1);
            })
        // Offering starts an attempt at once, on the caller's context: once the offer has run, an
        // attempt of d would have been sent.
        .compose(answered -> onContext(() -> queue.offer(alert("d"))))
        .onComplete(
            thenComplete(
                test,
                done -> {
                  assertThat(attempts.sent).containsExactly("a#1");
                  assertThat(stats.dropped()).isEqualTo(2);
                  assertThat(stats.queued()).isEqualTo(3);
                }));
  }

  @Test
  void closingDuringARetryWaitDropsTheAlertAtOnce(Vertx vertx, VertxTestContext test) {
    attempts.always = new AttemptOutcome(Kind.RETRY, "HTTP 503", null);
    DeliveryQueue queue =
        queue(
            vertx,
            AlertSettings.builder()
                .queueSize(10)
                .maxAttempts(5)
                .retryInitial(Duration.ofMinutes(10))
                .retryMax(Duration.ofMinutes(10))
                .attemptTimeout(Duration.ofSeconds(1))
                .build());
    onContext(() -> queue.offer(alert("a")));
    Eventually.until(vertx, () -> stats.retried() == 1, 10_000)
        .compose(
            waiting -> {
              onContext(queue::close);
              return Eventually.until(vertx, () -> stats.dropped() == 1, 10_000);
            })
        .onComplete(
            thenComplete(
                test,
                done -> {
                  assertThat(attempts.sent).containsExactly("a#1");
                  assertThat(queue.size()).isZero();
                }));
  }

  @Test
  void aSmallerQueueAfterAReloadDropsTheOldestWaiting(Vertx vertx, VertxTestContext test) {
    DeliveryQueue queue = queue(vertx, settings(10, 5));
    onContext(
        () -> {
          List.of("a", "b", "c", "d", "e").forEach(service -> queue.offer(alert(service)));
          queue.update(settings(2, 5));
        });
    Eventually.until(vertx, () -> stats.dropped() == 2, 10_000)
        .compose(
            shrunk -> {
              attempts.always = new AttemptOutcome(Kind.DELIVERED, "HTTP 200", null);
              return delivered(vertx, "a", () -> stats.sent() == 3);
            })
        .onComplete(
            thenComplete(
                test,
                done -> {
                  assertThat(attempts.sent).containsExactly("a#1", "d#1", "e#1");
                }));
  }
}
