package io.extrophi.orchestrator.config;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * One monitored service: a unique name and the absolute http(s) URL of its health endpoint.
 *
 * @param name unique service name, as it appears in {@code GET /health/status}
 * @param url absolute http or https URL that is probed
 */
public record ServiceDefinition(String name, String url) {

  public ServiceDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(url, "url");
  }

  /** Rebuilds a definition from {@link #toJson()}. */
  public static ServiceDefinition fromJson(JsonObject json) {
    return new ServiceDefinition(json.getString("name"), json.getString("url"));
  }

  public JsonObject toJson() {
    return new JsonObject().put("name", name).put("url", url);
  }
}
