package io.extrophi.orchestrator.http;

import static io.extrophi.orchestrator.testing.Checked.thenComplete;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.ApiContract;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.TestConfigs;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The API alone: when nothing answers on the event bus it says so in JSON, never a 500. */
@ExtendWith(VertxExtension.class)
@IntegrationTest
class HttpApiWithoutStatusTest {

  @Test
  void statusIsAJsonServiceUnavailableWhenTheStatusVerticleIsMissing(
      Vertx vertx, VertxTestContext test) {
    HttpApiVerticle api =
        new HttpApiVerticle(
            TestConfigs.firstRoundOnly(List.of("http://127.0.0.1:1/health"), Duration.ofSeconds(1)),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    WebClient client = WebClient.create(vertx);
    vertx
        .deployVerticle(api)
        .compose(deployed -> client.get(api.actualPort(), "127.0.0.1", "/health/status").send())
        .map(response -> ApiContract.validated(HttpMethod.GET, "/health/status", response))
        .onComplete(
            thenComplete(
                test,
                response -> {
                  assertThat(response.statusCode()).isEqualTo(503);
                  assertThat(response.getHeader("content-type")).isEqualTo("application/json");
                  assertThat(response.bodyAsJsonObject().getString("error"))
                      .isEqualTo("service_unavailable");
                  assertThat(response.bodyAsString()).doesNotContain("Exception");
                  client.close();
                }));
  }
}
