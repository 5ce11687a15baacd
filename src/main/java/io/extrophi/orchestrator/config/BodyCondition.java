package io.extrophi.orchestrator.config;

import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

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

  static final String BODY_RULE =
      "must set at least one of json_pointer (with equals), contains or matches";
  static final String POINTER_RULE =
      "must be a JSON Pointer: empty or starting with /, with ~ only as ~0 or ~1";

  public BodyCondition {
    if (jsonPointer == null && contains == null && matches == null) {
      throw new IllegalArgumentException(
          "a body condition needs json_pointer, contains or matches");
    }
  }

  /**
   * Reads a service's {@code body} condition: {@code json_pointer} with {@code equals}, {@code
   * contains}, {@code matches}, at least one of them and no other field.
   *
   * @throws InvalidConfigException naming the first field that breaks its rule
   */
  static BodyCondition from(ConfigValues values, String key, Object raw) {
    if (!(raw instanceof JsonObject body)) {
      throw values.invalid(key, raw, BODY_RULE);
    }
    values.rejectUnknownFields(key, body, ConfigKeys.BODY_FIELDS, "body condition");
    if (!body.containsKey("json_pointer")
        && !body.containsKey("contains")
        && !body.containsKey("matches")) {
      throw values.invalid(key, body, BODY_RULE);
    }
    String pointer = null;
    if (body.containsKey("json_pointer")) {
      pointer = jsonPointer(values, key + ".json_pointer", body.getValue("json_pointer"));
      if (!body.containsKey("equals")) {
        throw values.invalid(
            key + ".equals", null, "is required with json_pointer: the value expected there");
      }
    } else if (body.containsKey("equals")) {
      throw values.invalid(
          key + ".equals",
          body.getValue("equals"),
          "needs json_pointer: the place in the JSON body whose value must equal it");
    }
    String contains = null;
    if (body.containsKey("contains")) {
      Object text = body.getValue("contains");
      if (!(text instanceof String string) || string.isEmpty()) {
        throw values.invalid(key + ".contains", text, "must be a non-empty string");
      }
      contains = string;
    }
    Pattern matches = null;
    if (body.containsKey("matches")) {
      matches = regex(values, key + ".matches", body.getValue("matches"));
    }
    return new BodyCondition(pointer, body.getValue("equals"), contains, matches);
  }

  private static String jsonPointer(ConfigValues values, String key, Object raw) {
    if (!(raw instanceof String pointer)
        || !(pointer.isEmpty() || pointer.startsWith("/"))
        || pointer.replace("~0", "").replace("~1", "").contains("~")) {
      throw values.invalid(key, raw, POINTER_RULE);
    }
    return pointer;
  }

  private static Pattern regex(ConfigValues values, String key, Object raw) {
    if (!(raw instanceof String text) || text.isEmpty()) {
      throw values.invalid(key, raw, "must be a non-empty regular expression");
    }
    try {
      return Pattern.compile(text);
    } catch (PatternSyntaxException e) {
      throw values.invalid(
          key,
          raw,
          "must be a valid Java regular expression: "
              + e.getDescription()
              + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""));
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
