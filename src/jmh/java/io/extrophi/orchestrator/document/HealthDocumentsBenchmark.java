package io.extrophi.orchestrator.document;

import io.extrophi.orchestrator.bench.ActuatorDocument;
import java.nio.charset.StandardCharsets;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Reading one health document per format, as a probe does after the body is in: a Spring Boot
 * document of about 2 KB (ten indicators with details, one down), the MicroProfile and health+json
 * examples of their specifications, a Vert.x document and a plain status; and what {@code auto}
 * costs to leave a non-document alone. {@code actuatorAsServed} reads the document {@code
 * scripts/bench --documents} serves to 1,000 services (nested, every indicator up), as a probe
 * under {@code auto} reads it, media type included.
 */
@State(Scope.Thread)
public class HealthDocumentsBenchmark {

  private final byte[] spring = bytes(springDocument());
  private final byte[] actuator = bytes(ActuatorDocument.BODY);
  private final byte[] microProfile =
      bytes(
          "{\"status\":\"DOWN\",\"checks\":[{\"name\":\"first-check\",\"status\":\"UP\"},"
              + "{\"name\":\"second-check\",\"status\":\"DOWN\",\"data\":{\"key\":\"value\","
              + "\"foo\":\"bar\"}}]}");
  private final byte[] healthJson =
      bytes(
          "{\"status\":\"pass\",\"version\":\"1\",\"checks\":{\"cassandra:responseTime\":"
              + "[{\"componentId\":\"dfd6cf2b\",\"componentType\":\"datastore\",\"observedValue\":"
              + "250,\"observedUnit\":\"ms\",\"status\":\"pass\",\"time\":\"2018-01-17T03:36:48Z\"}],"
              + "\"cassandra:connections\":[{\"componentId\":\"dfd6cf2b\",\"componentType\":"
              + "\"datastore\",\"observedValue\":75,\"status\":\"warn\",\"output\":\"\"}],"
              + "\"uptime\":[{\"componentType\":\"system\",\"observedValue\":1209600.245,"
              + "\"observedUnit\":\"s\",\"status\":\"pass\"}]}}");
  private final byte[] vertx =
      bytes(
          "{\"checks\":[{\"id\":\"db\",\"status\":\"UP\"},{\"id\":\"queue\",\"status\":\"DOWN\","
              + "\"data\":{\"error\":\"Connection refused\"}}],\"status\":\"DOWN\",\"outcome\":\"DOWN\"}");
  private final byte[] plain = bytes("{\"status\":\"ok\"}");
  private final byte[] html = bytes("<html><body>OK</body></html>");

  static String springDocument() {
    StringBuilder components = new StringBuilder();
    for (int i = 0; i < 9; i++) {
      components
          .append("\"indicator")
          .append(i)
          .append("\":{\"status\":\"UP\",\"details\":{\"database\":\"PostgreSQL\",")
          .append("\"validationQuery\":\"isValid()\",\"total\":499963174912,\"free\":91346165760,")
          .append("\"threshold\":10485760,\"exists\":true}},");
    }
    components.append(
        "\"db\":{\"status\":\"DOWN\",\"details\":{\"error\":\"java.net.ConnectException: Connection"
            + " refused\"}}");
    return "{\"status\":\"DOWN\",\"components\":{" + components + "}}";
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static DocumentReading read(DocumentFormat format, byte[] body) {
    return HealthDocuments.read(format, WarnOn.DEFAULT, "application/json", 200, body);
  }

  @Benchmark
  public DocumentReading spring2KbAuto() {
    return read(DocumentFormat.AUTO, spring);
  }

  @Benchmark
  public DocumentReading spring2KbExplicit() {
    return read(DocumentFormat.SPRING, spring);
  }

  @Benchmark
  public DocumentReading actuatorAsServed() {
    return HealthDocuments.read(
        DocumentFormat.AUTO, WarnOn.DEFAULT, ActuatorDocument.MEDIA_TYPE, 200, actuator);
  }

  @Benchmark
  public DocumentReading microProfile() {
    return read(DocumentFormat.AUTO, microProfile);
  }

  @Benchmark
  public DocumentReading healthJson() {
    return read(DocumentFormat.AUTO, healthJson);
  }

  @Benchmark
  public DocumentReading vertx() {
    return read(DocumentFormat.AUTO, vertx);
  }

  @Benchmark
  public DocumentReading plain() {
    return read(DocumentFormat.AUTO, plain);
  }

  @Benchmark
  public DocumentReading notADocumentUnderAuto() {
    return read(DocumentFormat.AUTO, html);
  }
}
