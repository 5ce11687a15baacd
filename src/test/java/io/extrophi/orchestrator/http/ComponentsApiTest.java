package io.extrophi.orchestrator.http;

import static io.extrophi.orchestrator.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.ApiClient;
import io.extrophi.orchestrator.testing.InProcessOrchestrator;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.SpringActuatorDocuments;
import io.extrophi.orchestrator.testing.SpringActuatorDocuments.Document;
import io.extrophi.orchestrator.testing.SseClient;
import io.extrophi.orchestrator.testing.TargetServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.Health;

/**
 * {@code GET /health/components} over a fleet of real targets serving Spring Boot Actuator
 * documents: which component fails where. Every answer is checked against the OpenAPI contract by
 * {@link ApiClient}.
 */
@ExtendWith(VertxExtension.class)
@IntegrationTest
class ComponentsApiTest {

  @TempDir Path dir;

  @Test
  void eachComponentListsTheServicesWhereItFailsWarnsAndPasses(Vertx vertx) throws Exception {
    Document dbDown =
        SpringActuatorDocuments.application()
            .with("db", Health.down(new ConnectException("Connection refused")).build())
            .with("diskSpace", Health.up().build())
            .document();
    Document diskWarns =
        SpringActuatorDocuments.application()
            .with("db", Health.up().build())
            .with("diskSpace", Health.outOfService().build())
            .document();
    TargetServer writer = await(TargetServer.start(vertx)).respondWith(200, dbDown.body());
    TargetServer research = await(TargetServer.start(vertx)).respondWith(200, dbDown.body());
    TargetServer backend =
        await(TargetServer.start(vertx)).respondWith(diskWarns.statusCode(), diskWarns.body());
    TargetServer plain = await(TargetServer.start(vertx));
    Path config = dir.resolve("config.yaml");
    Files.writeString(
        config,
        "services:\n"
            + entry("writer", writer)
            + entry("research", research)
            + entry("backend", backend)
            + entry("plain", plain));
    ApiClient api =
        await(
                InProcessOrchestrator.on(vertx)
                    .configFile(config)
                    .set("TRIGGER_MIN_GAP", "0")
                    .start())
            .api();

    JsonObject components =
        await(
                api.getUntil(
                    "/health/components", body -> body.getJsonObject("components").size() == 2))
            .getJsonObject("components");

    assertThat(components.fieldNames()).containsExactly("db", "diskSpace");
    assertThat(components.getJsonObject("db").getJsonArray("failing").getList())
        .containsExactly("writer", "research");
    assertThat(components.getJsonObject("db").getJsonArray("passing").getList())
        .containsExactly("backend");
    assertThat(components.getJsonObject("db").getJsonArray("warning")).isEmpty();
    assertThat(components.getJsonObject("diskSpace").getJsonArray("warning").getList())
        .containsExactly("backend");
    assertThat(components.getJsonObject("diskSpace").getJsonArray("passing").getList())
        .containsExactly("writer", "research");
    assertThat(components.encode()).as("a service without a document").doesNotContain("plain");
    assertThat(await(api.send(HttpMethod.HEAD, "/health/components")).statusCode()).isEqualTo(200);
  }

  @Test
  void aComponentChangeIsAnEventOnTheStream(Vertx vertx) throws Exception {
    Document dbDown =
        SpringActuatorDocuments.application()
            .with("db", Health.down(new ConnectException("Connection refused")).build())
            .document();
    Document dbUp =
        SpringActuatorDocuments.application().with("db", Health.up().build()).document();
    TargetServer writer = await(TargetServer.start(vertx)).respondWith(200, dbDown.body());
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, "services:\n" + entry("writer", writer));
    InProcessOrchestrator orchestrator =
        await(
            InProcessOrchestrator.on(vertx).configFile(config).set("TRIGGER_MIN_GAP", "0").start());
    ApiClient api = orchestrator.api();
    await(
        api.getUntil(
            "/health/components", body -> body.getJsonObject("components").containsKey("db")));
    SseClient stream = await(SseClient.connect(vertx, orchestrator.port(), "/health/events"));
    writer.respondWith(200, dbUp.body());
    await(api.send(HttpMethod.POST, "/health/trigger"));

    SseClient.Event event = await(stream.next(e -> e.name().equals("component")));
    assertThat(event.data().getString("service")).isEqualTo("writer");
    assertThat(event.data().getString("component")).isEqualTo("db");
    assertThat(event.data().getString("from")).isEqualTo("fail");
    assertThat(event.data().getString("to")).isEqualTo("pass");
    assertThat(event.data().getString("reported")).isEqualTo("UP");
    await(stream.close());
  }

  private static String entry(String name, TargetServer target) {
    return "  - name: " + name + "\n    url: " + target.url() + "\n";
  }
}
