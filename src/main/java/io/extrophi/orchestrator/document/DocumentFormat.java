package io.extrophi.orchestrator.document;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** How a service's health response body is read. */
public enum DocumentFormat {
  /** Recognised by media type and shape; a body that is none of the formats is not read. */
  AUTO("auto"),
  /** Not read: the status code and the body condition decide, as before documents were read. */
  STATUS("status"),
  /** Spring Boot Actuator: {@code status} with nested {@code components}. */
  SPRING("spring"),
  /** MicroProfile Health: {@code status} with {@code checks: [{name, status, data}]}. */
  MICROPROFILE("microprofile"),
  /** IETF health check response (draft-inadarei-api-health-check), {@code checks} as a map. */
  HEALTH_JSON("health+json"),
  /** Vert.x health checks: {@code status}/{@code outcome} with {@code checks: [{id, status}]}. */
  VERTX("vertx"),
  /** A lone {@code {"status": "ok"}}, as FastAPI-style services answer. */
  PLAIN("plain");

  /** The format of services that set none, unless {@code HEALTH_FORMAT} says otherwise. */
  public static final DocumentFormat DEFAULT = AUTO;

  /** What a configured format must be. */
  public static final String RULE =
      "must be one of "
          + Arrays.stream(values())
              .map(DocumentFormat::configName)
              .collect(Collectors.joining(", "));

  private final String configName;

  DocumentFormat(String configName) {
    this.configName = configName;
  }

  /** The name used in the configuration and the API, e.g. {@code health+json}. */
  public String configName() {
    return configName;
  }

  /** Whether a body is read under this format at all. */
  public boolean readsBody() {
    return this != STATUS;
  }

  /** The format with this name, ignoring case and surrounding blanks. */
  public static Optional<DocumentFormat> parse(String name) {
    String wanted = name.strip().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(format -> format.configName.equals(wanted)).findFirst();
  }
}
