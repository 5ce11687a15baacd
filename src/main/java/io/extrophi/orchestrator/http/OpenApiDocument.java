package io.extrophi.orchestrator.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The API's contract: the OpenAPI document kept in the repository as {@code
 * src/main/resources/openapi.yaml} (in the jar as {@value #RESOURCE}), served as JSON at {@value
 * #JSON_PATH} and as it is at {@value #YAML_PATH}. It is read and converted once, off the event
 * loop, when the API starts.
 */
final class OpenApiDocument {

  static final String RESOURCE = "/openapi.yaml";
  static final String JSON_PATH = "/openapi.json";
  static final String YAML_PATH = "/openapi.yaml";
  static final String YAML = "application/yaml";

  /** The document in both forms, encoded once. */
  private record Encoded(Buffer yaml, Buffer json) {}

  private final Future<Encoded> encoded;

  private OpenApiDocument(Future<Encoded> encoded) {
    this.encoded = encoded;
  }

  /** Starts reading the document; see {@link #ready()}. */
  static OpenApiDocument read(Vertx vertx) {
    // From the class path itself: Vert.x's file resolver would prefer an openapi.yaml that
    // happens to lie in the working directory over the one in the jar.
    return new OpenApiDocument(vertx.executeBlocking(OpenApiDocument::load));
  }

  /** Completes once the document is read; fails when the jar lacks it or it is not valid YAML. */
  Future<Void> ready() {
    return encoded.mapEmpty();
  }

  void serveJson(RoutingContext ctx) {
    encoded.onSuccess(document -> send(ctx, JsonAnswers.JSON, document.json()));
  }

  void serveYaml(RoutingContext ctx) {
    encoded.onSuccess(document -> send(ctx, YAML, document.yaml()));
  }

  private static void send(RoutingContext ctx, CharSequence contentType, Buffer body) {
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, contentType).end(body.copy());
  }

  private static Encoded load() throws IOException {
    try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException("the class path has no " + RESOURCE);
      }
      byte[] yaml = in.readAllBytes();
      JsonObject json = toJson(new String(yaml, StandardCharsets.UTF_8));
      return new Encoded(Buffer.buffer(yaml), json.toBuffer());
    }
  }

  /** The YAML document as JSON; it must hold JSON values only (quoted timestamps, for one). */
  static JsonObject toJson(String yamlText) {
    Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(yamlText);
    if (!(document instanceof Map<?, ?>)) {
      throw new IllegalArgumentException("the OpenAPI document is not a YAML mapping");
    }
    return (JsonObject) jsonValue(document);
  }

  private static Object jsonValue(Object value) {
    if (value instanceof Map<?, ?> map) {
      JsonObject object = new JsonObject();
      // YAML keys may be numbers (response codes); JSON keys are strings.
      map.forEach((key, member) -> object.put(String.valueOf(key), jsonValue(member)));
      return object;
    }
    if (value instanceof List<?> list) {
      JsonArray array = new JsonArray();
      list.forEach(element -> array.add(jsonValue(element)));
      return array;
    }
    if (value == null
        || value instanceof String
        || value instanceof Boolean
        || value instanceof Integer
        || value instanceof Long
        || value instanceof BigInteger
        || value instanceof Double) {
      return value;
    }
    throw new IllegalArgumentException(
        "the OpenAPI document holds a " + value.getClass().getSimpleName() + ", not a JSON value");
  }
}
