package io.extrophi.orchestrator.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /metrics}: the registry in the Prometheus text format, or in OpenMetrics when the
 * scraper asks for it (Prometheus does). The text is written on a worker thread: with thousands of
 * services it is several megabytes, and the event loop has probes and queries to serve meanwhile.
 */
final class MetricsEndpoint {

  static final String PATH = "/metrics";
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  static final String OPEN_METRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

  private final Vertx vertx;
  private final PrometheusMeterRegistry registry;

  MetricsEndpoint(Vertx vertx, PrometheusMeterRegistry registry) {
    this.vertx = vertx;
    this.registry = registry;
  }

  void handle(RoutingContext ctx) {
    String accept = ctx.request().getHeader(HttpHeaders.ACCEPT);
    String contentType =
        accept != null && accept.contains("application/openmetrics-text")
            ? OPEN_METRICS
            : PROMETHEUS_TEXT;
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, contentType);
    // Scraped for HEAD too: its Content-Length is the length of this text (Vert.x drops the body).
    vertx
        .executeBlocking(() -> registry.scrape(contentType), false)
        .onSuccess(text -> ctx.response().end(text))
        .onFailure(ctx::fail);
  }
}
