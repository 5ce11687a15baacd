package io.extrophi.orchestrator.alert;

import static io.extrophi.orchestrator.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.extrophi.orchestrator.alert.AttemptOutcome.Kind;
import io.extrophi.orchestrator.bus.HealthState;
import io.extrophi.orchestrator.bus.HealthTransition;
import io.extrophi.orchestrator.config.AlertFormat;
import io.extrophi.orchestrator.config.AlertSettings;
import io.extrophi.orchestrator.testing.Await;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The queue of one receiver against scripted attempts: order, one at a time, retries, giving up,
 * the bound. Every call runs on one Vert.x context, as in the verticle; the test waits on its own
 * thread.
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

  /** Runs {@code action} on the queue's context, as the verticle would; its result, once run. */
  private <T> T onContext(Supplier<T> action) throws Exception {
    Promise<T> ran = Promise.promise();
    context.runOnContext(
        ignored -> {
          try {
            ran.complete(action.get());
          } catch (RuntimeException e) {
            ran.fail(e);
          }
        });
    return await(ran.future());
  }

  private void onContext(Runnable action) throws Exception {
    onContext(
        () -> {
          action.run();
          return null;
        });
  }

  /** Offers an alert for each service, in order, on the queue's context. */
  private void offer(DeliveryQueue queue, String... services) throws Exception {
    onContext(
        () -> {
          for (String service : services) {
            queue.offer(alert(service));
          }
        });
  }

  /** Answers the attempt of {@code service} as delivered, then waits until {@code condition}. */
  private void delivered(String service, BooleanSupplier condition) throws Exception {
    attempts.answer(service, Kind.DELIVERED);
    Await.until(condition, "after " + service + " was delivered");
  }

  private void sending(String service) throws Exception {
    Await.until(() -> attempts.pending.containsKey(service), "an attempt of " + service);
  }

  @Test
  void alertsGoOneAtATimeInTheOrderTheyCame(Vertx vertx) throws Exception {
    DeliveryQueue queue = queue(vertx, settings(10, 3));
    offer(queue, "a", "b", "c");
    sending("a");
    // b waits for a, however long a takes.
    assertThat(attempts.sent).containsExactly("a#1");
    delivered("a", () -> attempts.pending.containsKey("b"));
    delivered("b", () -> attempts.pending.containsKey("c"));
    delivered("c", () -> stats.sent() == 3);

    assertThat(attempts.sent).containsExactly("a#1", "b#1", "c#1");
    assertThat(stats.toJson().encode())
        .isEqualTo("{\"queued\":3,\"sent\":3,\"failed\":0,\"dropped\":0,\"retried\":0}");
    assertThat(onContext(queue::size)).isZero();
  }

  @Test
  void aFullQueueDropsItsOldestWaitingAlert(Vertx vertx) throws Exception {
    DeliveryQueue queue = queue(vertx, settings(2, 3));
    offer(queue, "a", "b", "c", "d");
    Await.until(() -> stats.dropped() == 1, "one alert dropped");
    assertThat(onContext(queue::size)).isEqualTo(3);
    attempts.always = new AttemptOutcome(Kind.DELIVERED, "HTTP 200", null);
    delivered("a", () -> stats.sent() == 3);

    // a was being delivered; b was the oldest waiting one.
    assertThat(attempts.sent).containsExactly("a#1", "c#1", "d#1");
    assertThat(stats.queued()).isEqualTo(4);
    assertThat(stats.dropped()).isEqualTo(1);
  }

  static Stream<Arguments> failedAttempts() {
    return Stream.of(
        arguments(
            new AttemptOutcome(Kind.RETRY, "HTTP 503", null),
            3,
            List.of("a#1", "a#2", "a#3", "b#1", "b#2", "b#3"),
            4),
        // Alerts go one at a time: a retry of a would come before b's first attempt.
        arguments(
            new AttemptOutcome(Kind.REJECTED, "HTTP 400", null), 5, List.of("a#1", "b#1"), 0));
  }

  /**
   * A failing alert is retried up to the last attempt, a refused one is not; then the next goes.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("failedAttempts")
  void aFailedAlertIsRetriedOnlyIfItsAnswerAllowsThenGivenUpAndTheNextOneGoes(
      AttemptOutcome outcome,
      int maxAttempts,
      List<String> expectedAttempts,
      long expectedRetries,
      Vertx vertx)
      throws Exception {
    attempts.always = outcome;
    offer(queue(vertx, settings(10, maxAttempts)), "a", "b");
    Await.until(() -> stats.failed() == 2, "both alerts given up");

    assertThat(attempts.sent).containsExactlyElementsOf(expectedAttempts);
    assertThat(stats.retried()).isEqualTo(expectedRetries);
    assertThat(stats.sent()).isZero();
  }

  @Test
  void closingDropsWhatWaitsAndCountsTheAttemptInFlightByItsAnswer(Vertx vertx) throws Exception {
    DeliveryQueue queue = queue(vertx, settings(10, 5));
    offer(queue, "a", "b", "c");
    sending("a");
    onContext(queue::close);
    Await.until(() -> stats.dropped() == 2, "the waiting alerts dropped");
    delivered("a", () -> stats.sent() == 1);
    // Offering starts an attempt at once, on the caller's context: once the offer has run, an
    // attempt of d would have been sent.
    offer(queue, "d");

    assertThat(attempts.sent).containsExactly("a#1");
    assertThat(stats.dropped()).isEqualTo(2);
    assertThat(stats.queued()).isEqualTo(3);
  }

  @Test
  void closingDuringARetryWaitDropsTheAlertAtOnce(Vertx vertx) throws Exception {
    attempts.always = new AttemptOutcome(Kind.RETRY, "HTTP 503", null);
    DeliveryQueue queue =
        queue(
            vertx,
            settings(10, 5).toBuilder()
                .retryInitial(Duration.ofMinutes(10))
                .retryMax(Duration.ofMinutes(10))
                .build());
    offer(queue, "a");
    Await.until(() -> stats.retried() == 1, "a retry waiting");
    onContext(queue::close);
    Await.until(() -> stats.dropped() == 1, "the alert dropped");

    assertThat(attempts.sent).containsExactly("a#1");
    assertThat(onContext(queue::size)).isZero();
  }

  @Test
  void aSmallerQueueAfterAReloadDropsTheOldestWaiting(Vertx vertx) throws Exception {
    DeliveryQueue queue = queue(vertx, settings(10, 5));
    onContext(
        () -> {
          List.of("a", "b", "c", "d", "e").forEach(service -> queue.offer(alert(service)));
          queue.update(settings(2, 5));
        });
    Await.until(() -> stats.dropped() == 2, "two alerts dropped");
    attempts.always = new AttemptOutcome(Kind.DELIVERED, "HTTP 200", null);
    delivered("a", () -> stats.sent() == 3);

    assertThat(attempts.sent).containsExactly("a#1", "d#1", "e#1");
  }
}
