package io.extrophi.orchestrator.document;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * What a service's health document says about the service: its own verdict and its components.
 *
 * @param format the format the document was read as (never {@code auto} or {@code status})
 * @param verdict the service's own verdict, under its {@link WarnOn}
 * @param reported the status as the document writes it ({@code UP}, {@code OUT_OF_SERVICE})
 * @param reason why the verdict is not {@code pass} ({@code db: DOWN (Connection refused)}); {@code
 *     null} for a pass
 * @param components the document's components, at most {@link #MAX_COMPONENTS}, parents before
 *     their children
 * @param omittedComponents how many more components the document has than it keeps
 */
public record HealthReport(
    DocumentFormat format,
    ReportedStatus verdict,
    String reported,
    String reason,
    List<Component> components,
    int omittedComponents) {

  /** The most components kept of one document: what the API, metrics and page show. */
  public static final int MAX_COMPONENTS = 64;

  public HealthReport {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(verdict, "verdict");
    components = List.copyOf(components);
  }

  public JsonObject toJson() {
    JsonArray componentsJson = new JsonArray();
    components.forEach(component -> componentsJson.add(component.toJson()));
    return new JsonObject()
        .put("format", format.configName())
        .put("verdict", verdict.jsonName())
        .put("reported", reported)
        .put("reason", reason)
        .put("components", componentsJson)
        .put("omitted_components", omittedComponents);
  }
}
