package io.extrophi.orchestrator.http;

import static io.extrophi.orchestrator.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.ApiContract;
import io.extrophi.orchestrator.testing.InProcessOrchestrator;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.TargetServer;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.openapi.contract.Operation;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The API as HTTP clients speak it, with the JDK's own {@link HttpClient}: HEAD answers carry the
 * headers of GET's on every documented read operation, a client asking for HTTP/2 gets correct
 * HTTP/1.1 answers (cleartext HTTP/2 is off), and answers are compressed when the client asks,
 * except the event stream, which must stay live.
 */
@ExtendWith(VertxExtension.class)
@IntegrationTest
class HttpProtocolTest {

  private static final long WAIT_S = 30;

  /**
   * Headers that describe the bytes on the wire rather than the resource: a HEAD answer has no body
   * to frame, and a static file's {@code Date} is the second it was served.
   */
  private static final Set<String> FRAMING_HEADERS = Set.of("transfer-encoding", "date");

  private Vertx vertx;
  // Shared by the tests: a JDK 17 client cannot be closed, its threads end with it.
  private static final HttpClient http1 =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final HttpClient asksForHttp2 =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
  private String base;

  @BeforeEach
  void startOrchestrator(Vertx vertx) throws Exception {
    this.vertx = vertx;
    TargetServer target = await(TargetServer.start(vertx));
    // The document's example names, so that every operation has a subject.
    InProcessOrchestrator orchestrator =
        await(
            InProcessOrchestrator.on(vertx)
                .monitoring(target.url())
                .set("TRIGGER_MIN_GAP", "0")
                .start());
    base = orchestrator.baseUrl();
  }

  @Test
  void headAnswersCarryTheHeadersOfGetOnEveryDocumentedReadOperation() throws Exception {
    List<String> compared = new ArrayList<>();
    for (Operation operation : ApiContract.get().openApi().operations()) {
      if (operation.getHttpMethod() != HttpMethod.GET) {
        continue;
      }
      String uri = ApiContract.exampleUri(operation);
      Answer get = fetch(http1, "GET", uri);
      HttpResponse<String> head =
          ApiContract.validated(
              http1.send(request(uri).method("HEAD", BodyPublishers.noBody()).build(), utf8()));
      Answer getAgain = fetch(http1, "GET", uri);

      assertThat(head.statusCode()).as("HEAD " + uri).isEqualTo(get.status());
      assertThat(head.body()).as("HEAD " + uri + " body").isEmpty();
      assertThat(resourceHeaders(head.headers()))
          .as("HEAD " + uri + " headers, but Content-Length")
          .isEqualTo(resourceHeaders(get.headers()));
      if (get.headers().firstValue("content-length").isPresent()) {
        String length = head.headers().firstValue("content-length").orElse(null);
        assertThat(length).as("HEAD " + uri + " Content-Length").isNotNull().containsOnlyDigits();
        assertThat(headLengthMatchesGet(uri, Long.parseLong(length), get, getAgain))
            .as("HEAD " + uri + " Content-Length is GET's body length")
            .isTrue();
      }
      compared.add(uri);
    }
    assertThat(compared)
        .contains("/", "/health/status", "/health/status/writer", "/metrics", "/ui/")
        .contains("/openapi.json", "/health/events");
  }

  @Test
  void aClientAskingForHttp2GetsCorrectHttp11AnswersToEveryRequest() throws Exception {
    for (Operation operation : ApiContract.get().openApi().operations()) {
      String method = operation.getHttpMethod().name();
      String uri = ApiContract.exampleUri(operation);
      HttpResponse<InputStream> answer =
          asksForHttp2.send(
              request(uri).method(method, BodyPublishers.noBody()).build(),
              BodyHandlers.ofInputStream());
      try (InputStream body = answer.body()) {
        assertThat(answer.version()).as(method + " " + uri).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(answer.statusCode()).as(method + " " + uri).isBetween(200, 399);
      }
    }

    HttpResponse<String> tooLarge =
        ApiContract.validated(
            asksForHttp2.send(
                request("/health/trigger")
                    .POST(BodyPublishers.ofByteArray(new byte[100 * 1024]))
                    .build(),
                utf8()));
    assertThat(tooLarge.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(new JsonObject(tooLarge.body()).getString("error"))
        .isEqualTo("request_entity_too_large");

    HttpResponse<String> longPath =
        asksForHttp2.send(request("/" + "a".repeat(5 * 1024)).build(), utf8());
    assertThat(longPath.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(longPath.statusCode()).isEqualTo(414);
    assertThat(new JsonObject(longPath.body()).getString("error"))
        .isEqualTo("request_uri_too_long");

    for (String method : List.of("GET", "HEAD")) {
      HttpResponse<String> unknown =
          ApiContract.validated(
              asksForHttp2.send(
                  request("/nope").method(method, BodyPublishers.noBody()).build(), utf8()));
      assertThat(unknown.version()).as(method).isEqualTo(HttpClient.Version.HTTP_1_1);
      assertThat(unknown.statusCode()).as(method).isEqualTo(404);
    }
  }

  @Test
  void answersAreCompressedWhenTheClientAsksAndOnlyThen() throws Exception {
    for (String uri : List.of("/metrics", "/openapi.json", "/health/status")) {
      HttpResponse<byte[]> plain = http1.send(request(uri).build(), BodyHandlers.ofByteArray());
      assertThat(plain.headers().firstValue("content-encoding")).as(uri).isEmpty();

      HttpResponse<byte[]> gzipped =
          http1.send(
              request(uri).header("Accept-Encoding", "gzip").build(), BodyHandlers.ofByteArray());
      assertThat(gzipped.statusCode()).as(uri).isEqualTo(200);
      assertThat(gzipped.headers().firstValue("content-encoding")).as(uri).hasValue("gzip");
      assertThat(gzipped.headers().firstValue("content-length"))
          .as(uri + " Content-Length")
          .hasValue(String.valueOf(gzipped.body().length));
      byte[] inflated =
          new GZIPInputStream(new ByteArrayInputStream(gzipped.body())).readAllBytes();
      MultiMap headers = MultiMap.caseInsensitiveMultiMap();
      gzipped.headers().map().forEach(headers::add);
      ApiContract.validate(HttpMethod.GET, uri, 200, headers, Buffer.buffer(inflated));
      assertThat(gzipped.body().length).as(uri + " compressed").isLessThan(inflated.length);
    }
  }

  @Test
  void theEventStreamIsServedUncompressedAndItsEventsArriveAsTheyHappen() throws Exception {
    HttpResponse<InputStream> stream =
        http1.send(
            request("/health/events?refresh=1").header("Accept-Encoding", "gzip").build(),
            BodyHandlers.ofInputStream());
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
      assertThat(stream.statusCode()).isEqualTo(200);
      assertThat(stream.headers().firstValue("content-encoding")).isEmpty();
      // The first snapshot on connecting, then one a second: each read as plain text while the
      // stream stays open, which a compressor holding bytes back would not allow.
      CompletableFuture<Integer> snapshots =
          CompletableFuture.supplyAsync(() -> countSnapshots(lines, 2));
      assertThat(snapshots.get(WAIT_S, TimeUnit.SECONDS)).isEqualTo(2);
    }
  }

  private static int countSnapshots(BufferedReader lines, int wanted) {
    int seen = 0;
    try {
      String line;
      while (seen < wanted && (line = lines.readLine()) != null) {
        if (line.equals("event: snapshot")) {
          seen++;
        }
      }
    } catch (IOException failed) {
      throw new UncheckedIOException(failed);
    }
    return seen;
  }

  /** A GET (or other) answer: its status and headers, and how long its body was. */
  private record Answer(int status, HttpHeaders headers, long bodyLength) {}

  /**
   * Whether HEAD's length is the body's: some bodies change between two requests (the metrics count
   * the requests themselves, a status's times move on), so a HEAD between two GETs of the same
   * length must match them, and a few tries are allowed for a body that kept changing. A HEAD whose
   * length is wrong fails every try.
   */
  private boolean headLengthMatchesGet(String uri, long headLength, Answer get, Answer getAgain)
      throws Exception {
    for (int tries = 0; tries < 10; tries++) {
      if (get.bodyLength() == getAgain.bodyLength() && headLength == get.bodyLength()) {
        return true;
      }
      if (uri.equals(MetricsEndpoint.PATH)
          && Math.abs(headLength - get.bodyLength()) * 100 <= get.bodyLength()) {
        return true;
      }
      get = fetch(http1, "GET", uri);
      HttpResponse<String> head =
          http1.send(request(uri).method("HEAD", BodyPublishers.noBody()).build(), utf8());
      headLength = Long.parseLong(head.headers().firstValue("content-length").orElse("-1"));
      getAgain = fetch(http1, "GET", uri);
    }
    return false;
  }

  /** The event stream has no end: its body is not read, only its headers. */
  private Answer fetch(HttpClient client, String method, String uri) throws Exception {
    HttpResponse<InputStream> response =
        client.send(
            request(uri).method(method, BodyPublishers.noBody()).build(),
            BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      long length = uri.startsWith(EventStream.PATH) ? -1 : body.readAllBytes().length;
      return new Answer(response.statusCode(), response.headers(), length);
    }
  }

  /** Every header but Content-Length and the framing ones, names in lower case. */
  private static Map<String, List<String>> resourceHeaders(HttpHeaders headers) {
    Map<String, List<String>> kept = new TreeMap<>();
    headers
        .map()
        .forEach(
            (name, values) -> {
              String lower = name.toLowerCase(Locale.ROOT);
              if (!lower.equals("content-length") && !FRAMING_HEADERS.contains(lower)) {
                kept.put(lower, values);
              }
            });
    return kept;
  }

  private HttpRequest.Builder request(String uri) {
    return HttpRequest.newBuilder(URI.create(base + uri)).timeout(Duration.ofSeconds(WAIT_S));
  }

  private static HttpResponse.BodyHandler<String> utf8() {
    return BodyHandlers.ofString(StandardCharsets.UTF_8);
  }
}
