package io.extrophi.orchestrator.alert;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.impl.ClientPhase;
import io.vertx.ext.web.client.impl.HttpContext;
import io.vertx.ext.web.client.impl.WebClientInternal;
import java.util.concurrent.TimeoutException;

/**
 * Makes {@code ALERT_TIMEOUT} a deadline for the whole attempt. The client's own timeout only fires
 * after that long without a byte, so a receiver trickling its answer would hold its queue's head
 * for ever. At the deadline the request is reset: the attempt fails as a timeout and is retried.
 *
 * <p>Installed as an interceptor, the only place the web client exposes the underlying request.
 */
final class AttemptDeadline implements Handler<HttpContext<?>> {

  private final Vertx vertx;

  private AttemptDeadline(Vertx vertx) {
    this.vertx = vertx;
  }

  static WebClient install(Vertx vertx, WebClient client) {
    ((WebClientInternal) client).addInterceptor(new AttemptDeadline(vertx));
    return client;
  }

  @Override
  public void handle(HttpContext<?> context) {
    if (context.phase() == ClientPhase.SEND_REQUEST && context.request().timeout() > 0) {
      long timeoutMs = context.request().timeout();
      HttpClientRequest request = context.clientRequest();
      long timer =
          vertx.setTimer(
              timeoutMs,
              expired ->
                  request.reset(
                      0, new TimeoutException("no complete answer within " + timeoutMs + " ms")));
      context.future().onComplete(done -> vertx.cancelTimer(timer));
    }
    context.next();
  }
}
