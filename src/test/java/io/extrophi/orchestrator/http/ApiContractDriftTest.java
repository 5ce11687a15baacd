package io.extrophi.orchestrator.http;

import static io.extrophi.orchestrator.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.ApiClient;
import io.extrophi.orchestrator.testing.ApiContract;
import io.extrophi.orchestrator.testing.ApiVerticleAlone;
import io.extrophi.orchestrator.testing.InProcessOrchestrator;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.SseClient;
import io.extrophi.orchestrator.testing.TargetServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.openapi.contract.Operation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The OpenAPI document and the code cannot drift apart: every route of {@link HttpApiVerticle} is a
 * documented operation, every documented operation is answered (with a documented response, as
 * {@link ApiClient} validates every answer), and the document served is the one in the repository.
 */
@ExtendWith(VertxExtension.class)
@IntegrationTest
class ApiContractDriftTest {

  @Test
  void everyRouteIsADocumentedOperationAndEveryOperationARoute(Vertx vertx) throws Exception {
    Set<String> routed = routesOf(await(ApiVerticleAlone.deploy(vertx)));
    Set<String> documented = documentedOperations();

    assertThat(documented).as("documented operations").containsAll(routed);
    Set<String> served = new TreeSet<>(documented);
    assertThat(routed).as("routes of HttpApiVerticle").containsAll(served);
  }

  @Test
  void everyDocumentedOperationIsAnsweredWithADocumentedSuccess(Vertx vertx) throws Exception {
    int port = startOrchestrator(vertx);
    ApiClient api = new ApiClient(vertx, port);
    List<String> answered = new ArrayList<>();
    for (Operation operation : ApiContract.get().openApi().operations()) {
      String uri = ApiContract.exampleUri(operation);
      if (key(operation).equals("GET /health/events")) {
        // A stream without end: its first event, validated when the client closes.
        SseClient stream = await(SseClient.connect(vertx, port, uri));
        await(stream.next(event -> true));
        await(stream.close());
        answered.add(key(operation));
        continue;
      }
      HttpResponse<Buffer> response = await(api.send(operation.getHttpMethod(), uri));
      assertThat(response.statusCode())
          .as(operation.getHttpMethod() + " " + uri)
          .isBetween(200, 399);
      answered.add(key(operation));
    }
    api.close();
    assertThat(answered)
        .contains(
            "GET /health/status",
            "POST /config/reload",
            "GET /openapi.json",
            "GET /metrics",
            "GET /health/events");
  }

  @Test
  void theDocumentServedIsTheOneInTheRepository(Vertx vertx) throws Exception {
    ApiClient api = new ApiClient(vertx, startOrchestrator(vertx));
    byte[] repositoryFile = Files.readAllBytes(Path.of(ApiContract.SOURCE));

    HttpResponse<Buffer> yaml = await(api.get("/openapi.yaml"));
    assertThat(yaml.body().getBytes()).isEqualTo(repositoryFile);
    assertThat(yaml.getHeader("content-type")).isEqualTo("application/yaml");

    HttpResponse<Buffer> json = await(api.get("/openapi.json"));
    // Read by vertx-openapi's YAML reader, not by the one that served it.
    assertThat(json.bodyAsJsonObject()).isEqualTo(ApiContract.get().document());
    assertThat(json.getHeader("content-type")).isEqualTo("application/json");
    api.close();
  }

  /** {@code METHOD /path/{param}} of every route, read from the verticle's route table. */
  private static Set<String> routesOf(HttpApiVerticle api) throws Exception {
    Set<String> routes = new TreeSet<>();
    for (RouteTable.Route route : api.routes()) {
      String path = route.path().replaceAll(":([a-z]+)", "{$1}");
      // A route over a directory (/ui/*) serves its index and its files.
      List<String> paths =
          path.endsWith("/*")
              ? List.of(path.substring(0, path.length() - 1), path.replace("*", "{file}"))
              : List.of(path);
      for (Object method : route.methods()) {
        paths.forEach(each -> routes.add(method + " " + each));
      }
    }
    assertThat(routes).as("routes read from HttpApiVerticle").isNotEmpty();
    return routes;
  }

  private static Set<String> documentedOperations() {
    return ApiContract.get().openApi().operations().stream()
        .map(ApiContractDriftTest::key)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static String key(Operation operation) {
    return operation.getHttpMethod() + " " + operation.getOpenAPIPath();
  }

  /** The orchestrator with the default fleet's names (the document's examples) on one target. */
  private static int startOrchestrator(Vertx vertx) throws Exception {
    TargetServer target = await(TargetServer.start(vertx));
    return await(InProcessOrchestrator.on(vertx).monitoring(target.url()).start()).port();
  }
}
