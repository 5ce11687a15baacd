package io.extrophi.orchestrator.document;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JSON into maps, lists and strings, keeping only what a health document can use: at most
 * {@link #MAX_DEPTH} levels and {@link #MAX_ENTRIES} entries per object or array. What lies beyond
 * is skipped by the streaming parser without being built, so a hostile document (nested ten
 * thousand deep, ten thousand checks) costs a scan of its bytes, which the body cap bounds, and
 * little memory. Numbers are read as doubles: a verdict never needs a number's exact value.
 */
final class BoundedJson {

  /** Deep enough for Spring Boot groups of composites; a health document needs no more. */
  static final int MAX_DEPTH = 12;

  /** Far more than {@link HealthReport#MAX_COMPONENTS}, so that the omitted count means much. */
  static final int MAX_ENTRIES = 1024;

  /** The nesting at which the parser itself gives up, even while skipping. */
  static final int MAX_NESTING = 256;

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build())
          .build();

  private BoundedJson() {}

  /**
   * @return the document's value: a {@code Map<String, Object>}, a {@code List<Object>}, a {@code
   *     String}, a {@code Double}, a {@code Boolean} or {@code null}
   * @throws IOException when the bytes are not one JSON value
   */
  static Object read(byte[] bytes) throws IOException {
    try (JsonParser parser = FACTORY.createParser(bytes)) {
      if (parser.nextToken() == null) {
        throw new IOException("no JSON value");
      }
      Object value = value(parser, 1);
      if (parser.nextToken() != null) {
        throw new IOException("text after the JSON value");
      }
      return value;
    }
  }

  private static Object value(JsonParser parser, int depth) throws IOException {
    JsonToken token = parser.currentToken();
    return switch (token) {
      case START_OBJECT -> depth > MAX_DEPTH ? skip(parser) : object(parser, depth);
      case START_ARRAY -> depth > MAX_DEPTH ? skip(parser) : array(parser, depth);
      case VALUE_NULL -> null;
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
      default -> parser.getText();
    };
  }

  private static Map<String, Object> object(JsonParser parser, int depth) throws IOException {
    Map<String, Object> object = new LinkedHashMap<>();
    int entries = 0;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      parser.nextToken();
      if (entries++ < MAX_ENTRIES) {
        object.put(name, value(parser, depth + 1));
      } else {
        parser.skipChildren();
      }
    }
    return object;
  }

  private static List<Object> array(JsonParser parser, int depth) throws IOException {
    List<Object> array = new ArrayList<>();
    int entries = 0;
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      if (entries++ < MAX_ENTRIES) {
        array.add(value(parser, depth + 1));
      } else {
        parser.skipChildren();
      }
    }
    return array;
  }

  private static Object skip(JsonParser parser) throws IOException {
    parser.skipChildren();
    return null;
  }
}
