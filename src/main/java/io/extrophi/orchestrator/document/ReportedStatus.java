package io.extrophi.orchestrator.document;

import java.util.Optional;

/**
 * What a service says about itself, reduced to three values: the verdict of a health document and
 * of each of its components.
 */
public enum ReportedStatus {
  /** Up, ok, pass, healthy. */
  PASS("pass"),
  /** Healthy with a concern: {@code warn}, or a status the service's {@code warn_on} lists. */
  WARN("warn"),
  /** Any other status: down, fail, error, or a code the orchestrator does not know. */
  FAIL("fail");

  private final String jsonName;

  ReportedStatus(String jsonName) {
    this.jsonName = jsonName;
  }

  public String jsonName() {
    return jsonName;
  }

  /** The value with this JSON name; empty for {@code null} or another name. */
  public static Optional<ReportedStatus> fromJsonName(String name) {
    for (ReportedStatus status : values()) {
      if (status.jsonName.equals(name)) {
        return Optional.of(status);
      }
    }
    return Optional.empty();
  }
}
