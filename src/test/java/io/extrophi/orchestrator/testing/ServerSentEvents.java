package io.extrophi.orchestrator.testing;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Reads a {@code text/event-stream} body as the OpenAPI document describes it: an array of events,
 * each {@code {"event":…,"data":…}} with the data decoded from JSON (left a string when it is not
 * JSON, so the schema rejects it), plus {@code id} and {@code retry} when present. A last event not
 * yet ended by a blank line (the stream was cut while reading) is left out.
 */
final class ServerSentEvents {

  private ServerSentEvents() {}

  static JsonArray parse(String stream) {
    JsonArray events = new JsonArray();
    String normalized = stream.replace("\r\n", "\n").replace('\r', '\n');
    int end = normalized.lastIndexOf("\n\n");
    if (end < 0) {
      return events;
    }
    for (String block : normalized.substring(0, end).split("\n\n")) {
      JsonObject event = event(block);
      if (event != null) {
        events.add(event);
      }
    }
    return events;
  }

  /** One event; {@code null} for a block of comments only (keep-alives). */
  private static JsonObject event(String block) {
    JsonObject event = new JsonObject();
    StringBuilder data = null;
    for (String line : block.split("\n")) {
      if (line.isEmpty() || line.startsWith(":")) {
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      switch (field) {
        case "data" ->
            data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        case "retry" -> event.put("retry", retry(value));
        default -> event.put(field, value);
      }
    }
    if (event.isEmpty() && data == null) {
      return null;
    }
    if (data != null) {
      event.put("data", decoded(data.toString()));
    }
    return event;
  }

  private static Object retry(String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException notANumber) {
      return value;
    }
  }

  private static Object decoded(String data) {
    try {
      return Json.decodeValue(data);
    } catch (DecodeException notJson) {
      return data;
    }
  }
}
