package io.extrophi.orchestrator;

import static io.extrophi.orchestrator.testing.Checked.thenComplete;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.Eventually;
import io.extrophi.orchestrator.testing.InProcessOrchestrator;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The first round of probes begins once the whole process is deployed, so that its samples are not
 * timed while the HTTP API starts on the same cores (an ordering, not a timing).
 */
@IntegrationTest
@ExtendWith(VertxExtension.class)
class FirstRoundTest {

  @Test
  void theFirstProbeFindsTheApiAlreadyListening(Vertx vertx, VertxTestContext test) {
    AtomicReference<MainVerticle> main = new AtomicReference<>();
    // The API's port as the target saw it when the first probe arrived: -1 or 0 while unbound.
    AtomicInteger apiPortAtFirstProbe = new AtomicInteger(Integer.MIN_VALUE);
    HttpServer target =
        vertx
            .createHttpServer()
            .requestHandler(
                request -> {
                  MainVerticle deployed = main.get();
                  apiPortAtFirstProbe.compareAndSet(
                      Integer.MIN_VALUE, deployed == null ? -1 : deployed.httpPort());
                  request.response().end("{\"status\":\"ok\"}");
                });
    target
        .listen(0, "127.0.0.1")
        .compose(
            listening -> {
              String url = "http://127.0.0.1:" + listening.actualPort() + "/health";
              main.set(InProcessOrchestrator.on(vertx).monitoring(url).verticle());
              return vertx.deployVerticle(main.get());
            })
        .compose(
            deployed ->
                Eventually.until(
                    vertx, () -> apiPortAtFirstProbe.get() != Integer.MIN_VALUE, 30_000))
        .onComplete(
            thenComplete(
                test,
                probed -> {
                  assertThat(apiPortAtFirstProbe.get())
                      .as("the API's port when the first probe arrived")
                      .isEqualTo(main.get().httpPort())
                      .isPositive();
                }));
  }
}
