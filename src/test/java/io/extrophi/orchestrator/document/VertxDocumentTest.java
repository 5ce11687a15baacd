package io.extrophi.orchestrator.document;

import static io.extrophi.orchestrator.document.Reading.paths;
import static io.extrophi.orchestrator.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.IntegrationTest;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Vert.x health checks documents served by vertx-health-check's own {@link HealthCheckHandler},
 * with real procedures, on a real server on a free loopback port.
 */
@IntegrationTest
@ExtendWith(VertxExtension.class)
class VertxDocumentTest {

  private static final Handler<Promise<Status>> UP = promise -> promise.complete(Status.OK());
  private static final Handler<Promise<Status>> DOWN = promise -> promise.complete(Status.KO());

  private static Handler<Promise<Status>> upWith(JsonObject data) {
    return promise -> promise.complete(Status.OK(data));
  }

  private static Handler<Promise<Status>> downWith(String error) {
    return promise -> promise.complete(Status.KO(new JsonObject().put("error", error)));
  }

  /** Serves {@code handler} on a free port and reads what it answers under {@code format}. */
  private static Future<DocumentReading> serveAndRead(
      Vertx vertx, HealthCheckHandler handler, DocumentFormat format) {
    Router router = Router.router(vertx);
    router.get("/health*").handler(handler);
    return vertx
        .createHttpServer()
        .requestHandler(router)
        .listen(0, "127.0.0.1")
        .compose(server -> read(vertx, server, format).eventually(server::close));
  }

  /** Read with {@link WebClient}, which gathers the body itself whichever thread asks. */
  private static Future<DocumentReading> read(
      Vertx vertx, HttpServer server, DocumentFormat format) {
    return WebClient.create(vertx)
        .get(server.actualPort(), "127.0.0.1", "/health")
        .send()
        .map(
            response ->
                HealthDocuments.read(
                    format,
                    WarnOn.DEFAULT,
                    response.getHeader(HttpHeaders.CONTENT_TYPE.toString()),
                    response.statusCode(),
                    response.body() == null ? new byte[0] : response.body().getBytes()));
  }

  /** What {@code handler} answers, read under {@code format} as a report. */
  private static HealthReport report(Vertx vertx, HealthCheckHandler handler, DocumentFormat format)
      throws Exception {
    DocumentReading reading = await(serveAndRead(vertx, handler, format));
    assertThat(reading).isInstanceOf(DocumentReading.Read.class);
    return ((DocumentReading.Read) reading).report();
  }

  @Test
  void proceduresThatSucceedPassWithEachProcedureAComponent(Vertx vertx) throws Exception {
    HealthCheckHandler handler =
        HealthCheckHandler.create(vertx)
            .register("db", UP)
            .register("queue", upWith(new JsonObject().put("depth", 3)));

    HealthReport report = report(vertx, handler, DocumentFormat.AUTO);
    assertThat(report.format()).isEqualTo(DocumentFormat.VERTX);
    assertThat(report.verdict()).isEqualTo(ReportedStatus.PASS);
    assertThat(paths(report)).containsExactlyInAnyOrder("db", "queue");
  }

  @Test
  void aFailedProcedureFailsTheServiceNamingIt(Vertx vertx) throws Exception {
    HealthCheckHandler handler =
        HealthCheckHandler.create(vertx)
            .register("db", downWith("Connection refused"))
            .register("queue", UP);

    HealthReport report = report(vertx, handler, DocumentFormat.VERTX);
    assertThat(report.verdict()).isEqualTo(ReportedStatus.FAIL);
    assertThat(report.reason()).isEqualTo("db: DOWN (Connection refused)");
  }

  @Test
  void aProcedureThatThrowsFailsWithItsCause(Vertx vertx) throws Exception {
    HealthCheckHandler handler =
        HealthCheckHandler.create(vertx)
            .register(
                "cache",
                promise -> {
                  throw new IllegalStateException("cache unreachable");
                });

    HealthReport report = report(vertx, handler, DocumentFormat.AUTO);
    assertThat(report.verdict()).isEqualTo(ReportedStatus.FAIL);
    assertThat(report.reason()).startsWith("cache: DOWN").contains("cache unreachable");
  }

  @Test
  void nestedProceduresAreFlattenedIntoPaths(Vertx vertx) throws Exception {
    HealthCheckHandler handler =
        HealthCheckHandler.create(vertx)
            .register("storage/primary", UP)
            .register("storage/replica", DOWN);

    HealthReport report = report(vertx, handler, DocumentFormat.AUTO);
    assertThat(paths(report))
        .containsExactlyInAnyOrder("storage", "storage/primary", "storage/replica");
    assertThat(report.reason()).isEqualTo("storage/replica: DOWN");
  }

  @Test
  void noProcedureAtAllAnswers204WhichPassesUnderVertx(Vertx vertx) throws Exception {
    HealthReport report = report(vertx, HealthCheckHandler.create(vertx), DocumentFormat.VERTX);
    assertThat(report.verdict()).isEqualTo(ReportedStatus.PASS);
    assertThat(report.components()).isEmpty();
  }

  @Test
  void noProcedureAtAllIsNotADocumentUnderAuto(Vertx vertx) throws Exception {
    assertThat(await(serveAndRead(vertx, HealthCheckHandler.create(vertx), DocumentFormat.AUTO)))
        .isInstanceOf(DocumentReading.NotADocument.class);
  }

  @Test
  void aMalformedVertxDocumentFailsSayingWhy() {
    assertThat(Reading.unreadable(DocumentFormat.VERTX, "{\"checks\": []}"))
        .isEqualTo("no status in the vertx document");
    assertThat(Reading.unreadable(DocumentFormat.VERTX, "<html>down</html>"))
        .isEqualTo("body is not JSON (format vertx)");
  }
}
