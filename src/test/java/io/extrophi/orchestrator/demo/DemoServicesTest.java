package io.extrophi.orchestrator.demo;

import static io.extrophi.orchestrator.testing.Checked.thenComplete;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.InSequence;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@IntegrationTest
class DemoServicesTest {

  @Test
  void oneServiceIsAlwaysHealthyAndTheOtherFailsTwoOfEveryFive(Vertx vertx, VertxTestContext test) {
    DemoServices demo = new DemoServices("127.0.0.1", 0, 0);
    WebClient client = WebClient.create(vertx);
    List<Integer> flaky = new ArrayList<>();
    vertx
        .deployVerticle(demo)
        .compose(deployed -> client.get(demo.actualPorts().get(0), "127.0.0.1", "/health").send())
        .compose(
            healthy -> {
              test.verify(() -> assertThat(healthy.statusCode()).isEqualTo(200));
              return InSequence.times(
                  2 * DemoServices.FLAKY_CYCLE,
                  () ->
                      client
                          .get(demo.actualPorts().get(1), "127.0.0.1", "/health")
                          .send()
                          .map(response -> flaky.add(response.statusCode())));
            })
        .onComplete(
            thenComplete(
                test,
                done -> {
                  assertThat(flaky)
                      .containsExactly(200, 200, 200, 503, 503, 200, 200, 200, 503, 503);
                  client.close();
                }));
  }
}
