package io.extrophi.orchestrator.demo;

import static io.extrophi.orchestrator.testing.Checked.thenComplete;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.InSequence;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@IntegrationTest
@ExtendWith(VertxExtension.class)
class DemoServiceMainTest {

  @Test
  void eachKindAnswersAsItsDemoServiceDoes(Vertx vertx, VertxTestContext test) {
    WebClient client = WebClient.create(vertx);
    List<Integer> healthy = new ArrayList<>();
    List<Integer> flaky = new ArrayList<>();
    List<Integer> failing = new ArrayList<>();
    statuses(vertx, client, "healthy", healthy)
        .compose(done -> statuses(vertx, client, "flaky", flaky))
        .compose(done -> statuses(vertx, client, "failing", failing))
        .onComplete(
            thenComplete(
                test,
                done -> {
                  // Ten probes, then the count /requests gives.
                  assertThat(healthy)
                      .containsExactly(200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 10);
                  assertThat(flaky)
                      .containsExactly(200, 200, 200, 503, 503, 200, 200, 200, 503, 503, 10);
                  assertThat(failing)
                      .containsExactly(503, 503, 503, 503, 503, 503, 503, 503, 503, 503, 10);
                  client.close();
                }));
  }

  private static Future<Void> statuses(
      Vertx vertx, WebClient client, String kind, List<Integer> statuses) {
    return DemoServiceMain.start(vertx, kind, "127.0.0.1", 0)
        .compose(
            server -> {
              return InSequence.times(
                      2 * DemoServices.FLAKY_CYCLE,
                      () ->
                          client
                              .get(server.actualPort(), "127.0.0.1", "/health")
                              .send()
                              .map(response -> statuses.add(response.statusCode())))
                  .compose(done -> client.get(server.actualPort(), "127.0.0.1", "/requests").send())
                  .compose(
                      count -> {
                        statuses.add(count.bodyAsJsonObject().getInteger("requests"));
                        return server.close();
                      });
            });
  }
}
