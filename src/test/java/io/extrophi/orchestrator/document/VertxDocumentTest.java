package io.extrophi.orchestrator.document;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.IntegrationTest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Vert.x health checks documents served by vertx-health-check's own {@link HealthCheckHandler},
 * with real procedures, on a real server on a free loopback port.
 */
@IntegrationTest
@ExtendWith(VertxExtension.class)
class VertxDocumentTest {

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

  private static void expectReport(
      Vertx vertx,
      VertxTestContext ctx,
      HealthCheckHandler handler,
      DocumentFormat format,
      Consumer<HealthReport> check) {
    serveAndRead(vertx, handler, format)
        .onComplete(
            ctx.succeeding(
                reading ->
                    ctx.verify(
                        () -> {
                          assertThat(reading).isInstanceOf(DocumentReading.Read.class);
                          check.accept(((DocumentReading.Read) reading).report());
                          ctx.completeNow();
                        })));
  }

  @Test
  void proceduresThatSucceedPassWithEachProcedureAComponent(Vertx vertx, VertxTestContext ctx) {
    HealthCheckHandler handler =
        HealthCheckHandler.create(vertx)
            .register("db", promise -> promise.complete(Status.OK()))
            .register(
                "queue", promise -> promise.complete(Status.OK(new JsonObject().put("depth", 3))));

    expectReport(
        vertx,
        ctx,
        handler,
        DocumentFormat.AUTO,
        report -> {
          assertThat(report.format()).isEqualTo(DocumentFormat.VERTX);
          assertThat(report.verdict()).isEqualTo(ReportedStatus.PASS);
          assertThat(report.components())
              .extracting(Component::path)
              .containsExactlyInAnyOrder("db", "queue");
        });
  }

  @Test
  void aFailedProcedureFailsTheServiceNamingIt(Vertx vertx, VertxTestContext ctx) {
    HealthCheckHandler handler =
        HealthCheckHandler.create(vertx)
            .register(
                "db",
                promise ->
                    promise.complete(
                        Status.KO(new JsonObject().put("error", "Connection refused"))))
            .register("queue", promise -> promise.complete(Status.OK()));

    expectReport(
        vertx,
        ctx,
        handler,
        DocumentFormat.VERTX,
        report -> {
          assertThat(report.verdict()).isEqualTo(ReportedStatus.FAIL);
          assertThat(report.reason()).isEqualTo("db: DOWN (Connection refused)");
        });
  }

  @Test
  void aProcedureThatThrowsFailsWithItsCause(Vertx vertx, VertxTestContext ctx) {
    HealthCheckHandler handler =
        HealthCheckHandler.create(vertx)
            .register(
                "cache",
                promise -> {
                  throw new IllegalStateException("cache unreachable");
                });

    expectReport(
        vertx,
        ctx,
        handler,
        DocumentFormat.AUTO,
        report -> {
          assertThat(report.verdict()).isEqualTo(ReportedStatus.FAIL);
          assertThat(report.reason()).startsWith("cache: DOWN").contains("cache unreachable");
        });
  }

  @Test
  void nestedProceduresAreFlattenedIntoPaths(Vertx vertx, VertxTestContext ctx) {
    HealthCheckHandler handler =
        HealthCheckHandler.create(vertx)
            .register("storage/primary", promise -> promise.complete(Status.OK()))
            .register("storage/replica", promise -> promise.complete(Status.KO()));

    expectReport(
        vertx,
        ctx,
        handler,
        DocumentFormat.AUTO,
        report -> {
          assertThat(report.components())
              .extracting(Component::path)
              .containsExactlyInAnyOrder("storage", "storage/primary", "storage/replica");
          assertThat(report.reason()).isEqualTo("storage/replica: DOWN");
        });
  }

  @Test
  void noProcedureAtAllAnswers204WhichPassesUnderVertx(Vertx vertx, VertxTestContext ctx) {
    expectReport(
        vertx,
        ctx,
        HealthCheckHandler.create(vertx),
        DocumentFormat.VERTX,
        report -> {
          assertThat(report.verdict()).isEqualTo(ReportedStatus.PASS);
          assertThat(report.components()).isEmpty();
        });
  }

  @Test
  void noProcedureAtAllIsNotADocumentUnderAuto(Vertx vertx, VertxTestContext ctx) {
    serveAndRead(vertx, HealthCheckHandler.create(vertx), DocumentFormat.AUTO)
        .onComplete(
            ctx.succeeding(
                reading ->
                    ctx.verify(
                        () -> {
                          assertThat(reading).isInstanceOf(DocumentReading.NotADocument.class);
                          ctx.completeNow();
                        })));
  }

  @Test
  void aMalformedVertxDocumentFailsSayingWhy() {
    assertThat(Reading.unreadable(DocumentFormat.VERTX, "{\"checks\": []}"))
        .isEqualTo("no status in the vertx document");
    assertThat(Reading.unreadable(DocumentFormat.VERTX, "<html>down</html>"))
        .isEqualTo("body is not JSON (format vertx)");
  }
}
