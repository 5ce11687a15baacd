package io.extrophi.orchestrator.client;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.impl.ClientPhase;
import io.vertx.ext.web.client.impl.HttpContext;
import io.vertx.ext.web.client.impl.WebClientInternal;
import java.util.concurrent.TimeoutException;

/**
 * Makes a request's timeout a deadline for the whole exchange, for the probes and the alert
 * webhooks alike. The client's own timeout only fires when no data arrives for that long, so a peer
 * that trickles its body a byte at a time, or streams one without end, would hold the request (and
 * its connection) for ever. At the deadline the request is reset: it fails as a timeout and the
 * connection is closed.
 *
 * <p>Installed as an interceptor of the client (the web client exposes the underlying request only
 * there), for every request that has a timeout.
 */
public final class RequestDeadline implements Handler<HttpContext<?>> {

  private final Vertx vertx;

  private RequestDeadline(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Installs the deadline on {@code client}; returns the client. */
  public static WebClient install(Vertx vertx, WebClient client) {
    ((WebClientInternal) client).addInterceptor(new RequestDeadline(vertx));
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
                      0, new TimeoutException("no complete response within " + timeoutMs + " ms")));
      context.future().onComplete(done -> vertx.cancelTimer(timer));
    }
    context.next();
  }
}
