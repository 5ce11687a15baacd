package io.extrophi.orchestrator.document;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * One component of a service's health document: a check, an indicator or a dependency.
 *
 * @param path the component's flattened path: its name, or its parents' names and its own joined by
 *     {@code /} for a nested one ({@code db}, {@code db/primary})
 * @param status the verdict of the status the component reports
 * @param reported the status as the document writes it ({@code DOWN}, {@code warn}), at most {@link
 *     #MAX_TEXT} characters
 * @param type the component's type where the format has one ({@code componentType} of health+json,
 *     e.g. {@code datastore}); {@code null} otherwise
 * @param output a short explanation ({@code Connection refused}), at most {@link #MAX_TEXT}
 *     characters; {@code null} when the document gives none
 */
public record Component(
    String path, ReportedStatus status, String reported, String type, String output) {

  /** The most characters kept of a path, a reported status, a type or an output. */
  public static final int MAX_TEXT = 120;

  public Component {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(status, "status");
    path = brief(path);
    reported = brief(reported);
    type = brief(type);
    output = brief(output);
  }

  /** The component's own name: the last segment of its path. */
  public String name() {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? path : path.substring(slash + 1);
  }

  /** Whether the component is up: it passes or only warns. */
  public boolean up() {
    return status != ReportedStatus.FAIL;
  }

  /** {@code db: DOWN (Connection refused)}: how a failing component is named in a reason. */
  public String describe() {
    return path + ": " + reported + (output == null ? "" : " (" + output + ")");
  }

  public static Component fromJson(JsonObject json) {
    return new Component(
        json.getString("path"),
        ReportedStatus.fromJsonName(json.getString("status")).orElse(ReportedStatus.FAIL),
        json.getString("reported"),
        json.getString("type"),
        json.getString("output"));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("name", name())
        .put("path", path)
        .put("status", status.jsonName())
        .put("reported", reported)
        .put("type", type)
        .put("output", output);
  }

  static String brief(String text) {
    if (text == null || text.length() <= MAX_TEXT) {
      return text;
    }
    return text.substring(0, MAX_TEXT - 1) + "…";
  }
}
