package io.extrophi.orchestrator.config;

import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * What the body of a healthy response must satisfy. Every part that is set must hold; at least one
 * is set.
 *
 * @param jsonPointer a JSON Pointer ({@code /status}) into the body, checked with {@code equals}
 * @param equalsValue the JSON value expected at {@code jsonPointer} (string, number, boolean, null,
 *     object or array)
 * @param contains a string the body must contain
 * @param matches a regular expression that must match somewhere in the body
 */
public record BodyCondition(
    String jsonPointer, Object equalsValue, String contains, Pattern matches) {

  public BodyCondition {
    if (jsonPointer == null && contains == null && matches == null) {
      throw new IllegalArgumentException(
          "a body condition needs json_pointer, contains or matches");
    }
  }

  public static BodyCondition fromJson(JsonObject json) {
    String regex = json.getString("matches");
    return new BodyCondition(
        json.getString("json_pointer"),
        json.getValue("equals"),
        json.getString("contains"),
        regex == null ? null : Pattern.compile(regex));
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (jsonPointer != null) {
      json.put("json_pointer", jsonPointer).put("equals", equalsValue);
    }
    if (contains != null) {
      json.put("contains", contains);
    }
    if (matches != null) {
      json.put("matches", matches.pattern());
    }
    return json;
  }

  // Pattern has identity equality; compare conditions by their JSON so reloads detect changes.
  @Override
  public boolean equals(Object other) {
    return other instanceof BodyCondition condition && toJson().equals(condition.toJson());
  }

  @Override
  public int hashCode() {
    return toJson().hashCode();
  }
}
