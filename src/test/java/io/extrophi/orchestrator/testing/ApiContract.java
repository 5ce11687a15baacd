package io.extrophi.orchestrator.testing;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.contract.Path;
import io.vertx.openapi.impl.Utils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The API's OpenAPI document ({@code src/main/resources/openapi.yaml}) as the oracle of the tests:
 * every response a test receives from the orchestrator's API goes through {@code validate}, which
 * throws an {@link AssertionError} when the document does not describe it, so the document cannot
 * drift from the code unnoticed.
 *
 * <p>A response conforms when:
 *
 * <ul>
 *   <li>its status is one the document gives every request ({@code x-any-request-responses}:
 *       invalid HTTP, too large), matching that response; or
 *   <li>its request's path and method are a documented operation, its status is one of the
 *       operation's, its required headers are there and valid, its content type is one of the
 *       response's and its body matches that media type's schema (a {@code HEAD} response has no
 *       body to check); or
 *   <li>its path is not documented and it is the {@code NotFound} error; or its path is documented,
 *       its method not, and it is the {@code MethodNotAllowed} error whose {@code Allow} header
 *       lists exactly the documented methods.
 * </ul>
 *
 * <p>The document is loaded once per JVM with vertx-openapi, which also checks it against the
 * OpenAPI 3.1 schema. vertx-openapi reads response media types it can validate only (JSON, plain
 * text, ...), so it is given the document without the others ({@code text/event-stream}, {@code
 * text/html}, ...); their schemas are taken from the whole document, resolved by the same schema
 * repository. Bodies are validated here, synchronously, rather than through vertx-openapi's
 * asynchronous {@code ResponseValidator}: callers are on event loops and on plain threads alike.
 */
public final class ApiContract {

  /** Where the document is kept in the repository (and, from there, on the class path). */
  public static final String SOURCE = "src/main/resources/openapi.yaml";

  private static final String RESOURCE = "/openapi.yaml";
  private static final String ANY_REQUEST = "x-any-request-responses";
  private static final Set<String> METHODS =
      Set.of("get", "head", "post", "put", "delete", "options", "patch", "trace");
  private static final Pattern REQUEST_LINE =
      Pattern.compile("^(\\S+) (\\S+) HTTP/1\\.[01]\\r?\\n");
  private static final Pattern STATUS_LINE = Pattern.compile("^HTTP/1\\.[01] (\\d{3}) ");

  // A yes or no only: several times faster than collecting what failed, which is asked for again
  // when it failed.
  private static final JsonSchemaOptions FAST =
      new JsonSchemaOptions()
          .setDraft(Draft.DRAFT202012)
          .setBaseUri("app://")
          .setOutputFormat(OutputFormat.Flag);

  private final JsonObject document;
  private final OpenAPIContract contract;
  private final JsonObject resolved;
  private final Map<String, Validator> validators = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

  private ApiContract(JsonObject document, OpenAPIContract contract) {
    this.document = document;
    this.contract = contract;
    // The whole document, media types vertx-openapi leaves out included, with every $ref
    // resolved against the contract it loaded (same components).
    this.resolved = contract.getSchemaRepository().resolve(document);
  }

  /** Loaded on first use, once per JVM. */
  private static final class Loaded {
    static final ApiContract INSTANCE = load();
  }

  /** The contract, loaded once per JVM. */
  public static ApiContract get() {
    return Loaded.INSTANCE;
  }

  /** The document as read from the class path (unresolved, every media type included). */
  public JsonObject document() {
    return document.copy();
  }

  /** The contract as vertx-openapi reads it, for tests that walk the documented operations. */
  public OpenAPIContract openApi() {
    return contract;
  }

  /**
   * The operation's path with the documented example of each path parameter, for tests that call
   * every operation.
   */
  public static String exampleUri(Operation operation) {
    String uri = operation.getOpenAPIPath();
    for (Parameter parameter : operation.getParameters()) {
      if (parameter.getIn() == Location.PATH) {
        Object example = parameter.getOpenAPIModel().getValue("example");
        if (example == null) {
          throw new AssertionError(
              "path parameter " + parameter.getName() + " of " + uri + " has no example");
        }
        uri = uri.replace("{" + parameter.getName() + "}", String.valueOf(example));
      }
    }
    return uri;
  }

  /** Responses validated so far in this JVM. */
  public long validatedCount() {
    return counts.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** A Vert.x {@code WebClient} response to {@code method uri}; returned as it is. */
  public static HttpResponse<Buffer> validated(
      HttpMethod method, String uri, HttpResponse<Buffer> response) {
    get().validate(method, uri, response.statusCode(), response::getHeader, response.body());
    return response;
  }

  /** A JDK {@code HttpClient} response; its request says what was asked. Returned as it is. */
  public static java.net.http.HttpResponse<String> validated(
      java.net.http.HttpResponse<String> response) {
    URI uri = response.request().uri();
    String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    get()
        .validate(
            HttpMethod.valueOf(response.request().method()),
            target,
            response.statusCode(),
            name -> response.headers().firstValue(name).orElse(null),
            Buffer.buffer(response.body()));
    return response;
  }

  /** A Vert.x {@code HttpClient} response: its body, read whole and validated with it. */
  public static Future<Buffer> validatedBody(HttpClientResponse response) {
    return response
        .body()
        .map(
            body -> {
              validate(
                  response.request().getMethod(),
                  response.request().getURI(),
                  response.statusCode(),
                  response.headers(),
                  body);
              return body;
            });
  }

  /** A Vert.x {@code HttpClient} response, read whole. */
  public static void validate(
      HttpMethod method, String uri, int status, MultiMap headers, Buffer body) {
    get().validate(method, uri, status, headers::get, body);
  }

  /**
   * An answer read from a raw socket to the bytes {@code request}: checked against the operation
   * when the request has a valid request line, otherwise it must be an answer the document gives
   * every request. Answers that are not HTT/1.x (Vert.x's own {@code 505}/{@code 501} to other
   * versions) are not the API's and are left to the caller.
   */
  public static void validateRaw(String request, String answer) {
    Matcher statusLine = STATUS_LINE.matcher(answer);
    if (!statusLine.find()) {
      throw new AssertionError("not an HTTP/1.x answer: " + shorten(answer));
    }
    int headersEnd = answer.indexOf("\r\n\r\n");
    if (headersEnd < 0) {
      throw new AssertionError("an answer cut within its headers: " + shorten(answer));
    }
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (String line : answer.substring(0, headersEnd).split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.add(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
      }
    }
    Buffer body = Buffer.buffer(answer.substring(headersEnd + 4), "ISO-8859-1");
    Matcher requestLine = REQUEST_LINE.matcher(request);
    HttpMethod method = requestLine.find() ? HttpMethod.valueOf(requestLine.group(1)) : null;
    String uri = method == null ? null : requestLine.group(2);
    get().validate(method, uri, Integer.parseInt(statusLine.group(1)), headers::get, body);
  }

  /**
   * Validates one response.
   *
   * @param method the request's method; {@code null} for a request that is not valid HTTP
   * @param uri the request's target as sent (path and query, still encoded); {@code null} with no
   *     method
   * @param header the response's header of a name, case-insensitive, {@code null} when absent
   * @param body the body received, {@code null} or empty for none
   * @throws AssertionError when the document does not describe the response
   */
  public void validate(
      HttpMethod method, String uri, int status, Function<String, String> header, Buffer body) {
    String context = (method == null ? "<not HTTP>" : method + " " + uri) + " -> " + status;
    JsonObject anyRequest =
        resolved.getJsonObject(ANY_REQUEST).getJsonObject(String.valueOf(status));
    if (anyRequest != null) {
      check(context, ANY_REQUEST + " " + status, anyRequest, method, header, body);
      return;
    }
    if (method == null) {
      throw new AssertionError(context + ": only " + ANY_REQUEST + " answer invalid requests");
    }
    String path = uri.contains("?") ? uri.substring(0, uri.indexOf('?')) : uri;
    Path documented = findPath(path);
    if (documented == null) {
      expectStatus(context, "no documented path", status, 404);
      check(context, "unknown path 404", response("NotFound"), method, header, body);
      return;
    }
    Operation operation =
        documented.getOperations().stream()
            .filter(candidate -> candidate.getHttpMethod().equals(method))
            .findFirst()
            .orElse(null);
    if (operation == null) {
      expectStatus(context, "no documented " + method + " on " + documented.getName(), status, 405);
      String allowed = allowedMethods(documented);
      if (!allowed.equals(header.apply("Allow"))) {
        throw new AssertionError(
            context + ": Allow is " + header.apply("Allow") + ", documented " + allowed);
      }
      check(context, "wrong method 405", response("MethodNotAllowed"), method, header, body);
      return;
    }
    JsonObject responses =
        resolved
            .getJsonObject("paths")
            .getJsonObject(operation.getOpenAPIPath())
            .getJsonObject(method.name().toLowerCase(Locale.ROOT))
            .getJsonObject("responses");
    JsonObject documentedResponse = responses.getJsonObject(String.valueOf(status));
    if (documentedResponse == null) {
      throw new AssertionError(
          context
              + ": status not documented for "
              + operation.getOperationId()
              + " (documented: "
              + responses.fieldNames()
              + ")");
    }
    check(
        context,
        operation.getOperationId() + " " + status,
        documentedResponse,
        method,
        header,
        body);
  }

  /** The documented path of a request path; a trailing slash is ignored as the router does. */
  private Path findPath(String path) {
    Path found = contract.findPath(path);
    String trimmed = path;
    while (found == null && trimmed.length() > 1 && trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
      found = contract.findPath(trimmed);
    }
    return found;
  }

  private static String allowedMethods(Path path) {
    return path.getOperations().stream()
        .map(operation -> operation.getHttpMethod().name())
        .sorted()
        .collect(Collectors.joining(", "));
  }

  private static void expectStatus(String context, String why, int status, int expected) {
    if (status != expected) {
      throw new AssertionError(context + ": " + why + ", so only " + expected + " is documented");
    }
  }

  private JsonObject response(String name) {
    return resolved.getJsonObject("components").getJsonObject("responses").getJsonObject(name);
  }

  private void check(
      String context,
      String key,
      JsonObject response,
      HttpMethod method,
      Function<String, String> header,
      Buffer body) {
    JsonObject headers = response.getJsonObject("headers", new JsonObject());
    for (String name : headers.fieldNames()) {
      JsonObject definition = headers.getJsonObject(name);
      String value = header.apply(name);
      if (value == null) {
        if (definition.getBoolean("required", false)) {
          throw new AssertionError(context + ": no " + name + " header");
        }
        continue;
      }
      expectValid(context, "header " + name, key + " " + name, definition, value);
    }
    JsonObject content = response.getJsonObject("content");
    boolean hasBody = body != null && body.length() > 0;
    if (content == null) {
      if (hasBody && method != HttpMethod.HEAD) {
        throw new AssertionError(context + ": a body where none is documented");
      }
      count(key);
      return;
    }
    String contentType = header.apply("Content-Type");
    String mediaType = contentType == null ? null : baseType(contentType);
    JsonObject documented = mediaType == null ? null : content.getJsonObject(mediaType);
    if (documented == null) {
      throw new AssertionError(
          context + ": content type " + contentType + ", documented " + content.fieldNames());
    }
    // A HEAD response carries the headers of the GET answer and never a body.
    if (method != HttpMethod.HEAD) {
      if (!hasBody) {
        throw new AssertionError(context + ": no body, documented " + mediaType);
      }
      expectValid(
          context, "body", key + " " + mediaType, documented, parse(context, mediaType, body));
    }
    count(key);
  }

  private static String baseType(String contentType) {
    int parameters = contentType.indexOf(';');
    return (parameters < 0 ? contentType : contentType.substring(0, parameters))
        .trim()
        .toLowerCase(Locale.ROOT);
  }

  private static Object parse(String context, String mediaType, Buffer body) {
    if (mediaType.equals(MediaType.APPLICATION_JSON)) {
      try {
        return Json.decodeValue(body);
      } catch (DecodeException notJson) {
        throw new AssertionError(context + ": not JSON: " + shorten(body.toString()));
      }
    }
    if (mediaType.equals("text/event-stream")) {
      return ServerSentEvents.parse(body.toString(StandardCharsets.UTF_8));
    }
    return body.toString(StandardCharsets.UTF_8);
  }

  private void expectValid(
      String context, String what, String key, JsonObject holder, Object value) {
    Validator validator =
        validators.computeIfAbsent(
            key,
            ignored ->
                contract
                    .getSchemaRepository()
                    .validator(JsonSchema.of(holder.getJsonObject("schema")), FAST));
    if (!validator.validate(value).getValid()) {
      OutputUnit result =
          contract
              .getSchemaRepository()
              .validator(JsonSchema.of(holder.getJsonObject("schema")))
              .validate(value);
      throw new AssertionError(
          context
              + ": "
              + what
              + " does not match the document ("
              + key
              + "):\n"
              + errors(result)
              + "\n"
              + shorten(
                  String.valueOf(
                      value instanceof JsonObject ? ((JsonObject) value).encode() : value)));
    }
  }

  private static String errors(OutputUnit result) {
    List<OutputUnit> errors = result.getErrors();
    if (errors == null || errors.isEmpty()) {
      return "  " + result.getInstanceLocation() + ": " + result.getError();
    }
    return errors.stream()
        .map(error -> "  " + error.getInstanceLocation() + ": " + error.getError())
        .distinct()
        .collect(Collectors.joining("\n"));
  }

  private void count(String key) {
    counts.computeIfAbsent(key, ignored -> new LongAdder()).increment();
  }

  private static String shorten(String text) {
    return text.length() <= 600 ? text : text.substring(0, 600) + "…";
  }

  private static ApiContract load() {
    JsonObject document = readDocument();
    Vertx vertx = Vertx.vertx();
    try {
      OpenAPIContract contract =
          OpenAPIContract.from(vertx, withoutUnreadableMediaTypes(document))
              .toCompletionStage()
              .toCompletableFuture()
              .get(60, TimeUnit.SECONDS);
      ApiContract loaded = new ApiContract(document, contract);
      Runtime.getRuntime().addShutdownHook(new Thread(loaded::writeSummary));
      return loaded;
    } catch (Exception invalid) {
      throw new IllegalStateException("the OpenAPI document is not a valid contract", invalid);
    } finally {
      // Validation needs no Vert.x once the contract is read: no threads are left behind.
      vertx.close();
    }
  }

  /** Read by vertx-openapi's own YAML reader, not by the one that serves the document. */
  private static JsonObject readDocument() {
    try (InputStream in = ApiContract.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the class path has no " + RESOURCE);
      }
      String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      JsonObject parsed =
          Utils.yamlStringToJson(yaml).toCompletionStage().toCompletableFuture().join();
      // Re-encoded so that every nested map is a JsonObject.
      return new JsonObject(parsed.encode());
    } catch (IOException unreadable) {
      throw new UncheckedIOException(unreadable);
    }
  }

  /** A copy without the response media types vertx-openapi refuses to read. */
  private static JsonObject withoutUnreadableMediaTypes(JsonObject document) {
    JsonObject copy = document.copy();
    copy.getJsonObject("paths")
        .forEach(
            path ->
                ((JsonObject) path.getValue())
                    .forEach(
                        operation -> {
                          if (METHODS.contains(operation.getKey())) {
                            ((JsonObject) operation.getValue())
                                .getJsonObject("responses")
                                .forEach(
                                    response -> dropUnreadable((JsonObject) response.getValue()));
                          }
                        }));
    copy.getJsonObject("components")
        .getJsonObject("responses")
        .forEach(response -> dropUnreadable((JsonObject) response.getValue()));
    return copy;
  }

  private static void dropUnreadable(JsonObject response) {
    JsonObject content = response.getJsonObject("content");
    if (content != null) {
      content.fieldNames().removeIf(type -> !MediaType.isMediaTypeSupported(type));
    }
  }

  /** Which documented responses the tests saw how often, in {@code target/}, for the record. */
  private void writeSummary() {
    java.nio.file.Path target = java.nio.file.Path.of("target");
    if (!Files.isDirectory(target)) {
      return;
    }
    Map<String, Long> sorted = new TreeMap<>();
    counts.forEach((key, count) -> sorted.put(key, count.sum()));
    StringBuilder summary =
        new StringBuilder("responses validated against " + SOURCE + ": " + validatedCount() + "\n");
    sorted.forEach((key, count) -> summary.append(count).append('\t').append(key).append('\n'));
    try {
      Files.writeString(target.resolve("api-contract-summary.txt"), summary);
    } catch (IOException ignored) {
      // A summary for the record only: the tests have passed or failed already.
    }
  }
}
