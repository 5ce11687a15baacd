package io.extrophi.orchestrator.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** What the document tests share: reading a body and expecting a report or a failure. */
final class Reading {

  private Reading() {}

  static DocumentReading read(DocumentFormat format, String contentType, int status, String body) {
    return HealthDocuments.read(
        format, WarnOn.DEFAULT, contentType, status, body.getBytes(StandardCharsets.UTF_8));
  }

  static HealthReport report(DocumentFormat format, String contentType, int status, String body) {
    DocumentReading reading = read(format, contentType, status, body);
    assertThat(reading).isInstanceOf(DocumentReading.Read.class);
    return ((DocumentReading.Read) reading).report();
  }

  static String unreadable(DocumentFormat format, String body) {
    DocumentReading reading = read(format, "application/json", 200, body);
    assertThat(reading).isInstanceOf(DocumentReading.Unreadable.class);
    return ((DocumentReading.Unreadable) reading).why();
  }

  /** The paths of the report's components, in the report's order. */
  static List<String> paths(HealthReport report) {
    return report.components().stream().map(Component::path).toList();
  }

  /** A published example kept in {@code src/test/resources/documents}. */
  static String example(String name) {
    try (InputStream in = Reading.class.getResourceAsStream("/documents/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
