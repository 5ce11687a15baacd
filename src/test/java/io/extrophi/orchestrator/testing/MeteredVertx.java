package io.extrophi.orchestrator.testing;

import static io.extrophi.orchestrator.testing.Await.await;

import io.extrophi.orchestrator.metrics.PrometheusMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * A Vert.x that records its own metrics in the registry {@code GET /metrics} serves, built the way
 * the launcher builds it; closing it closes both.
 */
public final class MeteredVertx implements AutoCloseable {

  private final PrometheusMetrics metrics;
  private final Vertx vertx;

  private MeteredVertx(PrometheusMetrics metrics, Vertx vertx) {
    this.metrics = metrics;
    this.vertx = vertx;
  }

  public static MeteredVertx create() {
    PrometheusMetrics metrics = PrometheusMetrics.create();
    return new MeteredVertx(metrics, metrics.withVertxMetrics(new VertxOptions()).build());
  }

  public Vertx vertx() {
    return vertx;
  }

  /** For {@link InProcessOrchestrator.Builder#meters}. */
  public PrometheusMeterRegistry registry() {
    return metrics.registry();
  }

  @Override
  public void close() throws Exception {
    await(vertx.close());
    metrics.close();
  }
}
