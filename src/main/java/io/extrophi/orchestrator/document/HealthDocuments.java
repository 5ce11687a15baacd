package io.extrophi.orchestrator.document;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a health response body under a service's {@link DocumentFormat}: the one place that says
 * which format a body is and what it reports. Plain Java, no I/O: the probe hands it the bytes it
 * has read, never more than the body cap.
 */
public final class HealthDocuments {

  /** Statuses that make a lone {@code {"status": …}} a health document under {@code auto}. */
  private static final Set<String> PLAIN_WORDS =
      Set.of(
          "up", "ok", "pass", "healthy", "warn", "down", "fail", "error", "unhealthy", "degraded");

  /** HTTP 204: Vert.x health checks with no procedure registered. */
  private static final int NO_CONTENT = 204;

  private HealthDocuments() {}

  /**
   * @param format the service's format; {@code status} reads nothing
   * @param warnOn the statuses the service counts as warnings
   * @param contentType the response's {@code Content-Type}, {@code null} when it has none
   * @param statusCode the response's HTTP status
   * @param body the body as read, never past the body cap
   */
  public static DocumentReading read(
      DocumentFormat format, WarnOn warnOn, String contentType, int statusCode, byte[] body) {
    if (!format.readsBody()) {
      return DocumentReading.NotADocument.INSTANCE;
    }
    boolean explicit = format != DocumentFormat.AUTO;
    if (isBlank(body)) {
      if (statusCode == NO_CONTENT && (format == DocumentFormat.VERTX || !explicit)) {
        // Vert.x answers 204 when it has no procedure: up, with nothing to tell.
        return format == DocumentFormat.VERTX
            ? new DocumentReading.Read(new ReportBuilder(format, warnOn).build("UP"))
            : DocumentReading.NotADocument.INSTANCE;
      }
      return explicit
          ? new DocumentReading.Unreadable(
              "body is empty, expected a " + format.configName() + " document")
          : DocumentReading.NotADocument.INSTANCE;
    }
    // Under auto a body that cannot be an object is left alone without parsing it.
    if (!explicit && firstNonBlank(body) != '{') {
      return DocumentReading.NotADocument.INSTANCE;
    }
    Object json;
    try {
      json = BoundedJson.read(body);
    } catch (StreamConstraintsException tooDeep) {
      return explicit
          ? new DocumentReading.Unreadable(
              "body nests deeper than " + BoundedJson.MAX_NESTING + " levels")
          : DocumentReading.NotADocument.INSTANCE;
    } catch (IOException notJson) {
      return explicit
          ? new DocumentReading.Unreadable("body is not JSON (format " + format.configName() + ")")
          : DocumentReading.NotADocument.INSTANCE;
    }
    if (!(json instanceof Map<?, ?> object)) {
      return explicit
          ? new DocumentReading.Unreadable(
              "body is not a JSON object (format " + format.configName() + ")")
          : DocumentReading.NotADocument.INSTANCE;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> root = (Map<String, Object>) object;
    DocumentFormat actual = explicit ? format : recognise(root, contentType);
    if (actual == null) {
      return DocumentReading.NotADocument.INSTANCE;
    }
    Object status =
        actual == DocumentFormat.VERTX ? CheckListDocument.vertxStatus(root) : root.get("status");
    if (!(status instanceof String)) {
      return new DocumentReading.Unreadable(
          (status == null ? "no status" : "status is not a string")
              + " in the "
              + actual.configName()
              + " document");
    }
    return new DocumentReading.Read(
        switch (actual) {
          case SPRING -> SpringDocument.read(root, warnOn);
          case MICROPROFILE -> CheckListDocument.readMicroProfile(root, warnOn);
          case HEALTH_JSON -> HealthJsonDocument.read(root, warnOn);
          case VERTX -> CheckListDocument.readVertx(root, warnOn);
          default -> new ReportBuilder(DocumentFormat.PLAIN, warnOn).build((String) status);
        });
  }

  /**
   * The format of a document read under {@code auto}: by media type first, then by shape. A lone
   * {@code status} counts only with a word health checks use, so that {@code {"status": "running"}}
   * stays a body the status code judges, as before formats were read.
   *
   * @return {@code null} when the body is none of the formats
   */
  static DocumentFormat recognise(Map<String, Object> root, String contentType) {
    String mediaType = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    if (mediaType.startsWith(HealthJsonDocument.MEDIA_TYPE)
        && root.get("status") instanceof String) {
      return DocumentFormat.HEALTH_JSON;
    }
    if (SpringDocument.recognises(root)) {
      return DocumentFormat.SPRING;
    }
    if (CheckListDocument.recognisesVertx(root)) {
      return DocumentFormat.VERTX;
    }
    if (CheckListDocument.recognisesMicroProfile(root)) {
      return DocumentFormat.MICROPROFILE;
    }
    if (HealthJsonDocument.recognises(root)) {
      return DocumentFormat.HEALTH_JSON;
    }
    if (mediaType.contains("spring-boot.actuator") && root.get("status") instanceof String) {
      return DocumentFormat.SPRING;
    }
    if (root.get("status") instanceof String status
        && PLAIN_WORDS.contains(status.strip().toLowerCase(Locale.ROOT))) {
      return DocumentFormat.PLAIN;
    }
    return null;
  }

  private static boolean isBlank(byte[] body) {
    return firstNonBlank(body) < 0;
  }

  private static int firstNonBlank(byte[] body) {
    for (byte b : body) {
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return b;
      }
    }
    return -1;
  }
}
