package io.extrophi.orchestrator.bus;

import io.extrophi.orchestrator.document.Component;
import io.extrophi.orchestrator.document.ReportedStatus;
import io.extrophi.orchestrator.time.Timestamps;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A change of one component of a service's health document ({@code db: pass -> fail}), published on
 * {@link EventBusAddresses#COMPONENT_TRANSITIONS} by the node that probed the service.
 *
 * @param service name of the service
 * @param component the component's flattened path ({@code db}, {@code db/primary})
 * @param from its status before; {@code null} when it was not in the previous document
 * @param to its status now; {@code null} when it left the document
 * @param reported its status now as the document writes it ({@code DOWN}, {@code OUT_OF_SERVICE}),
 *     so that a reader shows the service's own word; {@code null} if none or gone
 * @param output the component's short output now, {@code null} if none or gone
 * @param at when the probe that saw the change happened
 */
public record ComponentTransition(
    String service,
    String component,
    ReportedStatus from,
    ReportedStatus to,
    String reported,
    String output,
    Instant at) {

  public ComponentTransition {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(component, "component");
    Objects.requireNonNull(at, "at");
  }

  /** The changes from {@code before} to {@code after}: bounded by their 64 components each. */
  public static List<ComponentTransition> between(
      String service, List<Component> before, List<Component> after, Instant at) {
    Map<String, Component> previous = new LinkedHashMap<>();
    before.forEach(component -> previous.put(component.path(), component));
    List<ComponentTransition> changes = new ArrayList<>();
    for (Component now : after) {
      Component was = previous.remove(now.path());
      if (was == null || was.status() != now.status()) {
        changes.add(
            new ComponentTransition(
                service,
                now.path(),
                was == null ? null : was.status(),
                now.status(),
                now.reported(),
                now.output(),
                at));
      }
    }
    previous
        .values()
        .forEach(
            gone ->
                changes.add(
                    new ComponentTransition(
                        service, gone.path(), gone.status(), null, null, null, at)));
    return changes;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put(MessageSchema.FIELD, MessageSchema.VERSION)
        .put("service", service)
        .put("component", component)
        .put("from", from == null ? null : from.jsonName())
        .put("to", to == null ? null : to.jsonName())
        .put("reported", reported)
        .put("output", output)
        .put("at", Timestamps.format(at));
  }
}
