package io.extrophi.orchestrator.testing;

import io.extrophi.orchestrator.http.HttpApiVerticle;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;

/**
 * The HTTP API verticle deployed on its own, with no status verticle behind it: its routes and its
 * answers when nothing replies on the event bus. Listens on 127.0.0.1 and a free port.
 */
public final class ApiVerticleAlone {

  private ApiVerticleAlone() {}

  /** The deployed verticle, for its {@link HttpApiVerticle#actualPort()} and routes. */
  public static Future<HttpApiVerticle> deploy(Vertx vertx) {
    HttpApiVerticle api =
        new HttpApiVerticle(
            TestConfigs.firstRoundOnly(List.of("http://127.0.0.1:1/health"), Duration.ofSeconds(1)),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    return vertx.deployVerticle(api).map(deploymentId -> api);
  }
}
