package io.extrophi.orchestrator.probe;

import static io.extrophi.orchestrator.testing.Checked.thenComplete;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.extrophi.orchestrator.bus.ProbeResult;
import io.extrophi.orchestrator.config.BodyCondition;
import io.extrophi.orchestrator.config.DocumentCheck;
import io.extrophi.orchestrator.config.ServiceDefinition;
import io.extrophi.orchestrator.config.StatusRanges;
import io.extrophi.orchestrator.document.Component;
import io.extrophi.orchestrator.document.DocumentFormat;
import io.extrophi.orchestrator.document.ReportedStatus;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.SpringActuatorDocuments;
import io.extrophi.orchestrator.testing.SpringActuatorDocuments.Document;
import io.extrophi.orchestrator.testing.TargetServer;
import io.extrophi.orchestrator.testing.TestConfigs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.actuate.health.Health;

/**
 * Every kind of per-service check against a real target: method, headers, expected status and each
 * body condition, healthy and failing, table-driven.
 */
@ExtendWith(VertxExtension.class)
@IntegrationTest
class ServiceChecksTest {

  private static final int MAX_BODY_BYTES = 1_024;

  private static ServiceDefinition base(String url) {
    return ServiceDefinition.of("svc", url, Duration.ofSeconds(30), Duration.ofSeconds(2));
  }

  /** The target answers 200 with {@code body}. */
  private static Consumer<TargetServer> ok(String body) {
    return target -> target.respondWith(200, body);
  }

  private static UnaryOperator<ServiceDefinition> body(BodyCondition condition) {
    return service -> service.toBuilder().bodyCondition(condition).build();
  }

  private static UnaryOperator<ServiceDefinition> expect(String ranges) {
    return service -> service.toBuilder().expectedStatus(StatusRanges.parse(ranges)).build();
  }

  private static UnaryOperator<ServiceDefinition> format(DocumentFormat format) {
    return service ->
        service.toBuilder().document(DocumentCheck.DEFAULT.withFormat(format)).build();
  }

  private static final Document DB_DOWN =
      SpringActuatorDocuments.application()
          .with("db", Health.down(new ConnectException("Connection refused")).build())
          .with("ping", Health.up().build())
          .document();

  private static final Document OUT_OF_SERVICE =
      SpringActuatorDocuments.application().with("db", Health.outOfService().build()).document();

  /** Health documents read under the service's format, each with its expected failure. */
  static Stream<Arguments> documents() {
    return Stream.of(
        Arguments.of(
            "Spring DOWN at HTTP 200: the document overrides the status code",
            ok(DB_DOWN.body()),
            format(DocumentFormat.AUTO),
            "db: DOWN (java.net.ConnectException: Connection refused)"),
        Arguments.of(
            "Spring DOWN at Actuator's own 503: the status with the document's reason",
            (Consumer<TargetServer>) t -> t.respondWith(DB_DOWN.statusCode(), DB_DOWN.body()),
            format(DocumentFormat.SPRING),
            "HTTP 503: db: DOWN (java.net.ConnectException: Connection refused)"),
        Arguments.of(
            "Spring OUT_OF_SERVICE at 503 is a warning, healthy",
            (Consumer<TargetServer>)
                t -> t.respondWith(OUT_OF_SERVICE.statusCode(), OUT_OF_SERVICE.body()),
            format(DocumentFormat.AUTO),
            null),
        Arguments.of(
            "plain unhealthy at 200",
            ok("{\"status\":\"unhealthy\"}"),
            format(DocumentFormat.AUTO),
            "reported status unhealthy"),
        Arguments.of(
            "status format reads no document",
            ok("{\"status\":\"DOWN\"}"),
            format(DocumentFormat.STATUS),
            null),
        Arguments.of(
            "explicit format, body not JSON",
            ok("OK"),
            format(DocumentFormat.SPRING),
            "body is not JSON (format spring)"),
        Arguments.of(
            "explicit format, body past the cap",
            (Consumer<TargetServer>) t -> t.respondWithBodyOf(MAX_BODY_BYTES * 4),
            format(DocumentFormat.HEALTH_JSON),
            "body exceeds " + MAX_BODY_BYTES + " bytes"),
        Arguments.of(
            "auto, body past the cap: the status code judges",
            (Consumer<TargetServer>) t -> t.respondWithBodyOf(MAX_BODY_BYTES * 4),
            format(DocumentFormat.AUTO),
            null));
  }

  @Test
  void aWarningCarriesItsReportedStatusAndComponents(Vertx vertx, VertxTestContext test) {
    probe(
            vertx,
            t -> t.respondWith(OUT_OF_SERVICE.statusCode(), OUT_OF_SERVICE.body()),
            format(DocumentFormat.AUTO))
        .onComplete(
            test.succeeding(
                result ->
                    test.verify(
                        () -> {
                          assertThat(result.healthy()).isTrue();
                          assertThat(result.reportedStatus()).isEqualTo(ReportedStatus.WARN);
                          assertThat(result.components())
                              .extracting(Component::path, Component::reported)
                              .containsExactly(tuple("db", "OUT_OF_SERVICE"));
                          ProbeResult stored = ProbeResult.fromJson(result.toJson());
                          assertThat(stored.reportedStatus()).isEqualTo(ReportedStatus.WARN);
                          assertThat(stored.components()).isEqualTo(result.components());
                          test.completeNow();
                        })));
  }

  static Stream<Arguments> scenarios() {
    return Stream.of(
        Arguments.of(
            "JSON pointer equals: healthy",
            (Consumer<TargetServer>)
                t -> t.respondWith(200, "{\"status\":\"UP\",\"db\":{\"ok\":true}}"),
            body(new BodyCondition("/status", "UP", null, null)),
            null),
        Arguments.of(
            "JSON pointer equals: nested boolean",
            ok("{\"db\":{\"ok\":true}}"),
            body(new BodyCondition("/db/ok", true, null, null)),
            null),
        Arguments.of(
            "JSON pointer equals: numbers compare by value",
            ok("{\"replicas\":3.0}"),
            body(new BodyCondition("/replicas", 3, null, null)),
            null),
        Arguments.of(
            "JSON pointer equals: wrong value",
            ok("{\"status\":\"DOWN\"}"),
            body(new BodyCondition("/status", "UP", null, null)),
            "body /status is \"DOWN\", expected \"UP\""),
        Arguments.of(
            "JSON pointer equals: missing",
            ok("{}"),
            body(new BodyCondition("/status", "UP", null, null)),
            "body /status is missing, expected \"UP\""),
        Arguments.of(
            "JSON pointer equals: not JSON",
            ok("<html>ok</html>"),
            body(new BodyCondition("/status", "UP", null, null)),
            "body is not JSON"),
        Arguments.of(
            "contains: healthy",
            ok("all systems ok"),
            body(new BodyCondition(null, null, "ok", null)),
            null),
        Arguments.of(
            "contains: missing",
            ok("degraded"),
            body(new BodyCondition(null, null, "ok", null)),
            "body does not contain \"ok\""),
        Arguments.of(
            "matches: healthy",
            ok("{\"db\": \"up\"}"),
            body(new BodyCondition(null, null, null, Pattern.compile("\"db\":\\s*\"up\""))),
            null),
        Arguments.of(
            "matches: no match",
            ok("{\"db\": \"down\"}"),
            body(new BodyCondition(null, null, null, Pattern.compile("\"db\":\\s*\"up\""))),
            "body does not match \"\"db\":\\s*\"up\"\""),
        Arguments.of(
            "body larger than the cap",
            (Consumer<TargetServer>) t -> t.respondWithBodyOf(MAX_BODY_BYTES * 50),
            body(new BodyCondition(null, null, "ok", null)),
            "body exceeds 1024 bytes"),
        Arguments.of(
            "large body without a body condition is fine",
            (Consumer<TargetServer>) t -> t.respondWithBodyOf(MAX_BODY_BYTES * 50),
            UnaryOperator.<ServiceDefinition>identity(),
            null),
        Arguments.of(
            "expected status: a listed code",
            (Consumer<TargetServer>) t -> t.respondWith(401),
            expect("200-299,401"),
            null),
        Arguments.of(
            "expected status: 200 when only 204 is expected",
            (Consumer<TargetServer>) t -> t.respondWith(200),
            expect("204"),
            "HTTP 200 (expected 204)"),
        Arguments.of(
            "expected status: a range of redirects",
            (Consumer<TargetServer>) t -> t.respondWith(302),
            expect("300-399"),
            null));
  }

  /** Status codes, bodies and, under the service's format, the health document it reads. */
  @ParameterizedTest(name = "{0}")
  @MethodSource({"scenarios", "documents"})
  void judgesTheResponse(
      String scenario,
      Consumer<TargetServer> behaviour,
      UnaryOperator<ServiceDefinition> check,
      String expectedError,
      Vertx vertx,
      VertxTestContext test) {
    probe(vertx, behaviour, check)
        .onComplete(
            thenComplete(
                test,
                result -> {
                  assertThat(result.errorMessage()).isEqualTo(expectedError);
                  assertThat(result.healthy()).isEqualTo(expectedError == null);
                }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("methods")
  void sendsTheConfiguredMethodAndHeaders(String method, Vertx vertx, VertxTestContext test) {
    UnaryOperator<ServiceDefinition> check =
        service ->
            service.toBuilder()
                .method(method)
                .headers(Map.of("Authorization", "Bearer secret", "X-Probe", "orchestrator"))
                .tags(List.of("critical"))
                .build();
    TargetServer.start(vertx)
        .compose(
            target ->
                probeWith(vertx, target, check)
                    .onComplete(
                        thenComplete(
                            test,
                            result -> {
                              assertThat(result.healthy()).isTrue();
                              assertThat(target.lastMethod()).isEqualTo(method);
                              assertThat(target.lastHeader("Authorization"))
                                  .isEqualTo("Bearer secret");
                              assertThat(target.lastHeader("X-Probe")).isEqualTo("orchestrator");
                            })));
  }

  static Stream<String> methods() {
    return Stream.of("GET", "HEAD");
  }

  private static Future<ProbeResult> probe(
      Vertx vertx, Consumer<TargetServer> behaviour, UnaryOperator<ServiceDefinition> check) {
    return TargetServer.start(vertx)
        .compose(
            target -> {
              behaviour.accept(target);
              return probeWith(vertx, target, check).eventually(target::close);
            });
  }

  private static Future<ProbeResult> probeWith(
      Vertx vertx, TargetServer target, UnaryOperator<ServiceDefinition> check) {
    ProbeClients client =
        new ProbeClients(
            vertx, TestConfigs.firstRoundOnly(List.of(target.url()), Duration.ofSeconds(5)));
    ServiceProbe probe =
        new ServiceProbe(
            client, check.apply(base(target.url())), MAX_BODY_BYTES, Clock.systemUTC());
    return probe.send().onComplete(done -> client.close());
  }
}
