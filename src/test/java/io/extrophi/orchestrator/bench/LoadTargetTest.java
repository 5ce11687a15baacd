package io.extrophi.orchestrator.bench;

import static io.extrophi.orchestrator.testing.Checked.thenComplete;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.extrophi.orchestrator.document.Component;
import io.extrophi.orchestrator.document.DocumentFormat;
import io.extrophi.orchestrator.document.DocumentReading;
import io.extrophi.orchestrator.document.HealthDocuments;
import io.extrophi.orchestrator.document.HealthReport;
import io.extrophi.orchestrator.document.ReportedStatus;
import io.extrophi.orchestrator.document.WarnOn;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@IntegrationTest
class LoadTargetTest {

  private static Future<HttpResponse<Buffer>> get(WebClient client, int port, String uri) {
    return client.get(port, BenchArgs.HOST, uri).send();
  }

  @Test
  void countsServedRequestsAndAnswersDownPathsWith503(Vertx vertx, VertxTestContext test) {
    LoadTarget target = new LoadTarget();
    WebClient client = WebClient.create(vertx);
    List<String> seen = new ArrayList<>();
    target
        .listen(vertx, 0, 2)
        .compose(
            port -> {
              return get(client, port, "/s/1")
                  .compose(r -> record(seen, r, get(client, port, "/s/2")))
                  .compose(r -> record(seen, r, get(client, port, "/down/x")))
                  .compose(r -> record(seen, r, get(client, port, "/toggle?path=/s/1")))
                  .compose(r -> record(seen, r, get(client, port, "/s/1")))
                  .compose(r -> record(seen, r, get(client, port, "/toggle?path=/s/1")))
                  .compose(r -> record(seen, r, get(client, port, "/s/1")))
                  .compose(r -> record(seen, r, get(client, port, "/toggle")))
                  .compose(r -> record(seen, r, get(client, port, "/count")))
                  .compose(r -> record(seen, r, get(client, port, "/reset")))
                  .compose(r -> record(seen, r, get(client, port, "/count")))
                  .map(r -> seen.add(r.statusCode() + " " + r.bodyAsString()));
            })
        .onComplete(
            thenComplete(
                test,
                done -> {
                  assertThat(seen)
                      .containsExactly(
                          "200 {\"status\":\"ok\"}",
                          "200 {\"status\":\"ok\"}",
                          "503 {\"status\":\"down\"}",
                          "200 {\"path\":\"/s/1\",\"down\":true}",
                          "503 {\"status\":\"down\"}",
                          "200 {\"path\":\"/s/1\",\"down\":false}",
                          "200 {\"status\":\"ok\"}",
                          "400 {\"error\":\"path=/... is required\"}",
                          "200 {\"requests\":5}",
                          "200 {\"requests\":0}",
                          "200 {\"requests\":0}");
                  assertThat(target.served()).isZero();
                  client.close();
                }));
  }

  @Test
  void constantJsonServerAnswersItsBodyOnEveryPath(Vertx vertx, VertxTestContext test) {
    WebClient client = WebClient.create(vertx);
    ConstantJsonServer.listen(vertx, 0)
        .compose(server -> get(client, server.actualPort(), "/anything"))
        .onComplete(
            thenComplete(
                test,
                response -> {
                  assertThat(response.statusCode()).isEqualTo(200);
                  assertThat(response.bodyAsString()).isEqualTo(ConstantJsonServer.BODY);
                  client.close();
                }));
  }

  @Test
  void springPathsAnswerTheActuatorDocumentAndAreCountedApart(Vertx vertx, VertxTestContext test) {
    LoadTarget target = new LoadTarget();
    WebClient client = WebClient.create(vertx);
    List<HttpResponse<Buffer>> answers = new ArrayList<>();
    target
        .listen(vertx, 0, 1)
        .compose(
            port ->
                get(client, port, "/spring/7")
                    .compose(r -> keep(answers, r, get(client, port, "/s/7")))
                    .compose(r -> keep(answers, r, get(client, port, "/count/documents")))
                    .compose(r -> keep(answers, r, get(client, port, "/count"))))
        .onComplete(
            thenComplete(
                test,
                total -> {
                  HttpResponse<Buffer> document = answers.get(0);
                  assertThat(document.statusCode()).isEqualTo(200);
                  assertThat(document.getHeader("content-type"))
                      .isEqualTo(ActuatorDocument.MEDIA_TYPE);
                  assertThat(document.bodyAsString()).isEqualTo(ActuatorDocument.BODY);
                  // The size the benchmark claims: about 2 KB.
                  assertThat(document.body().length()).isBetween(1900, 2200);
                  assertThat(answers.get(2).bodyAsString()).isEqualTo("{\"requests\":1}");
                  assertThat(total.bodyAsString()).isEqualTo("{\"requests\":2}");
                  client.close();
                }));
  }

  @Test
  void theActuatorDocumentReadsAsSpringWithEveryComponentUp() {
    DocumentReading reading =
        HealthDocuments.read(
            DocumentFormat.AUTO,
            WarnOn.DEFAULT,
            ActuatorDocument.MEDIA_TYPE,
            200,
            ActuatorDocument.BODY.getBytes(StandardCharsets.UTF_8));

    assertThat(reading).isInstanceOf(DocumentReading.Read.class);
    HealthReport report = ((DocumentReading.Read) reading).report();
    assertThat(report.format()).isEqualTo(DocumentFormat.SPRING);
    assertThat(report.verdict()).isEqualTo(ReportedStatus.PASS);
    assertThat(report.components()).hasSize(ActuatorDocument.COMPONENTS);
    assertThat(report.components()).extracting(Component::path).contains("db/replica");
    assertThat(report.omittedComponents()).isZero();
  }

  @Test
  void optionsNeedAPortAndRejectUnknownOrOutOfRangeValues() {
    assertThat(BenchArgs.parse(new String[] {"--port", "0"}, 2)).isEqualTo(new BenchArgs(0, 2));
    assertThat(BenchArgs.parse(new String[] {"--port", "9000", "--event-loops", "1"}, 2))
        .isEqualTo(new BenchArgs(9000, 1));
    assertThatThrownBy(() -> BenchArgs.parse(new String[0], 2)).hasMessageContaining("--port");
    assertThatThrownBy(() -> BenchArgs.parse(new String[] {"--port"}, 2))
        .hasMessageContaining("missing value");
    assertThatThrownBy(() -> BenchArgs.parse(new String[] {"--port", "x"}, 2))
        .hasMessageContaining("whole number");
    assertThatThrownBy(() -> BenchArgs.parse(new String[] {"--host", "0.0.0.0"}, 2))
        .hasMessageContaining("unknown option");
  }

  private static Future<HttpResponse<Buffer>> keep(
      List<HttpResponse<Buffer>> answers,
      HttpResponse<Buffer> response,
      Future<HttpResponse<Buffer>> next) {
    answers.add(response);
    return next;
  }

  private static Future<HttpResponse<Buffer>> record(
      List<String> seen, HttpResponse<Buffer> response, Future<HttpResponse<Buffer>> next) {
    seen.add(response.statusCode() + " " + response.bodyAsString());
    return next;
  }
}
