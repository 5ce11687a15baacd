package io.extrophi.orchestrator.alert;

import io.extrophi.orchestrator.client.RequestDeadline;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.codec.BodyCodec;
import java.time.Duration;

/**
 * Posts one alert to one receiver, once, and says how it went. Never fails: every failure is an
 * {@link AttemptOutcome}.
 */
final class WebhookSender implements DeliveryQueue.Attempts {

  /** Lets a receiver drop an alert it already got (a retry that raced a timeout). */
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  /** Which attempt this is, from 1, for receivers that log or de-duplicate. */
  static final String ATTEMPT_HEADER = "X-Orchestrator-Attempt";

  private static final String USER_AGENT = "Orchestrator-Alerts";

  /** How often idle connections are looked at: they close 60-75 s after their last use. */
  static final int CLEANER_PERIOD_MS = 15_000;

  private final WebClient client;

  private WebhookSender(WebClient client) {
    this.client = client;
  }

  /** A sender with its own client: a slow receiver never holds a connection probes need. */
  static WebhookSender create(Vertx vertx) {
    WebClientOptions options =
        new WebClientOptions()
            .setUserAgent(USER_AGENT)
            // A redirected POST is either lost or turned into a GET; a webhook never needs one.
            .setFollowRedirects(false);
    return new WebhookSender(
        RequestDeadline.install(vertx, WebClient.create(vertx, options, poolOptions())));
  }

  /**
   * The pool closes an idle connection after the keep-alive timeout (60 s) on its cleaner's next
   * round; Vert.x's default round of 1 s would wake an event loop every second for a sender that is
   * idle nearly always (and has nothing to send without a webhook).
   */
  static PoolOptions poolOptions() {
    return new PoolOptions().setCleanerPeriod(CLEANER_PERIOD_MS);
  }

  @Override
  public Future<AttemptOutcome> send(
      Receiver receiver, Alert alert, int attempt, Duration timeout) {
    long timeoutMs = Math.max(1, timeout.toMillis());
    try {
      return client
          .postAbs(receiver.url())
          .as(BodyCodec.none())
          .putHeader(HttpHeaders.CONTENT_TYPE.toString(), "application/json")
          .putHeader(IDEMPOTENCY_KEY, alert.id())
          .putHeader(ATTEMPT_HEADER, Integer.toString(attempt))
          .connectTimeout(timeoutMs)
          .timeout(timeoutMs)
          .sendBuffer(receiver.body(alert))
          .map(
              response ->
                  AttemptOutcome.ofStatus(
                      response.statusCode(),
                      response.getHeader(HttpHeaders.RETRY_AFTER.toString())))
          .otherwise(AttemptOutcome::ofFailure);
    } catch (RuntimeException e) {
      // A URL the client cannot use (validated, so unexpected) still ends as an outcome.
      return Future.succeededFuture(AttemptOutcome.ofFailure(e));
    }
  }

  void close() {
    client.close();
  }
}
