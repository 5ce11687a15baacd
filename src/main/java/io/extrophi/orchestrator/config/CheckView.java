package io.extrophi.orchestrator.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A service's check as the API shows it: the {@code check} object of {@code GET
 * /health/status/{name}} and the entries of {@code GET /health/services}. The one place where a
 * {@link ServiceDefinition} becomes the JSON clients read, so both endpoints always agree.
 *
 * <p>It shows what decides the health of a service, with what may be a credential left out: the URL
 * is {@linkplain RedactedUrl#ofCheck redacted}, header values and the alert webhook are not shown.
 */
public final class CheckView {

  private CheckView() {}

  /** {@code {"url":…,"method":…,"interval_ms":…,"timeout_ms":…,"expected_status":[…],…}}. */
  public static JsonObject of(ServiceDefinition service) {
    BodyCondition body = service.bodyCondition();
    return new JsonObject()
        .put("url", RedactedUrl.ofCheck(service.url()))
        .put("method", service.method())
        .put("interval_ms", service.interval().toMillis())
        .put("timeout_ms", service.timeout().toMillis())
        .put("expected_status", service.expectedStatus().toJson())
        .put("body", body == null ? null : body.toJson())
        .put("tags", new JsonArray(service.tags()))
        .put("connection", service.connection().configName());
  }

  /** {@code {"services":[{"name":…,"check":{…}},…]}}: the fleet in configured order. */
  public static JsonObject fleet(List<ServiceDefinition> services) {
    JsonArray listed = new JsonArray();
    for (ServiceDefinition service : services) {
      listed.add(new JsonObject().put("name", service.name()).put("check", of(service)));
    }
    return new JsonObject().put("services", listed);
  }
}
