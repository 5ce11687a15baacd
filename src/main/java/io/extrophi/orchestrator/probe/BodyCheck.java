package io.extrophi.orchestrator.probe;

import io.extrophi.orchestrator.config.BodyCondition;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.pointer.JsonPointer;
import java.util.Objects;
import java.util.Optional;

/** Judges a response body against a service's {@link BodyCondition}. */
final class BodyCheck {

  private static final int MAX_QUOTED_LENGTH = 60;

  private BodyCheck() {}

  /**
   * @return why the body fails the condition, or empty when it holds
   */
  static Optional<String> failure(BodyCondition condition, Buffer body) {
    if (condition.jsonPointer() != null) {
      Optional<String> pointerFailure = pointerFailure(condition, body);
      if (pointerFailure.isPresent()) {
        return pointerFailure;
      }
    }
    String text =
        condition.contains() != null || condition.matches() != null ? body.toString() : "";
    if (condition.contains() != null && !text.contains(condition.contains())) {
      return Optional.of("body does not contain " + quote(condition.contains()));
    }
    if (condition.matches() != null && !condition.matches().matcher(text).find()) {
      return Optional.of("body does not match " + quote(condition.matches().pattern()));
    }
    return Optional.empty();
  }

  private static Optional<String> pointerFailure(BodyCondition condition, Buffer body) {
    Object json;
    try {
      json = Json.decodeValue(body);
    } catch (DecodeException notJson) {
      return Optional.of("body is not JSON");
    }
    Object actual = JsonPointer.from(condition.jsonPointer()).queryJson(json);
    if (equalJson(actual, condition.equalsValue())) {
      return Optional.empty();
    }
    return Optional.of(
        "body "
            + condition.jsonPointer()
            + " is "
            + (actual == null ? "missing" : brief(Json.encode(actual)))
            + ", expected "
            + brief(Json.encode(condition.equalsValue())));
  }

  // JSON numbers decode as Integer, Long or Double depending on their text; 1 and 1.0 are equal.
  private static boolean equalJson(Object actual, Object expected) {
    if (actual instanceof Number a && expected instanceof Number e) {
      return Double.compare(a.doubleValue(), e.doubleValue()) == 0;
    }
    return Objects.equals(actual, expected);
  }

  private static String quote(String text) {
    return "\"" + brief(text) + "\"";
  }

  private static String brief(String text) {
    return text.length() <= MAX_QUOTED_LENGTH ? text : text.substring(0, MAX_QUOTED_LENGTH) + "…";
  }
}
