package io.extrophi.orchestrator.http;

import static io.extrophi.orchestrator.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.extrophi.orchestrator.testing.ApiContract;
import io.extrophi.orchestrator.testing.Await;
import io.extrophi.orchestrator.testing.InProcessOrchestrator;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.TargetServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The API when clients misbehave: requests that change state need the token, bodies are bounded,
 * trigger storms are coalesced, status queries answer while every target hangs, and no request of a
 * seeded fuzzer gets a 5xx or a stack trace.
 *
 * <p>Every answer, the fuzzer's included, is validated against the OpenAPI document ({@link
 * ApiContract}): garbage must get the documented errors. Left out: answers the client never read
 * (an upload cut short by the server's 413) and Vert.x's own answers to HTTP versions other than
 * 1.0 and 1.1, which no handler of the API gives.
 */
@IntegrationTest
class ApiHardeningTest {

  private static final String TOKEN = "s3cr3t-t0ken-0123456789abcdef";
  private static final long WAIT_S = 60;

  /**
   * How long a raw connection stays open for an answer: the server answers malformed input at once,
   * and input that is not a complete request yet is simply waited for.
   */
  private static final long RAW_WAIT_MS = 300;

  private static final java.net.http.HttpClient JDK_CLIENT =
      java.net.http.HttpClient.newBuilder()
          .version(java.net.http.HttpClient.Version.HTTP_1_1)
          .connectTimeout(java.time.Duration.ofSeconds(5))
          .build();

  private final Vertx vertx = Vertx.vertx();
  private final List<TargetServer> targets = new ArrayList<>();
  private HttpClient client;
  private int port;

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  @Test
  void requestsThatChangeStateNeedTheTokenReadsDoNot() throws Exception {
    ListAppender<ILoggingEvent> logs = captureLogs();
    start(Map.of("ORCHESTRATOR_API_TOKEN", TOKEN));

    Answer missing = send(HttpMethod.POST, "/health/trigger", Map.of(), null);
    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.json().getString("error")).isEqualTo("unauthorized");
    assertThat(missing.headers().get("WWW-Authenticate")).startsWith("Bearer");
    assertThat(send(HttpMethod.POST, "/health/trigger/writer", bearer("wrong"), null).status())
        .isEqualTo(401);
    assertThat(
            send(HttpMethod.POST, "/config/reload", Map.of("Authorization", TOKEN), null).status())
        .as("the token without the Bearer scheme")
        .isEqualTo(401);
    assertThat(send(HttpMethod.POST, "/health/trigger", bearer(TOKEN + "x"), null).status())
        .isEqualTo(401);

    assertThat(send(HttpMethod.POST, "/health/trigger", bearer(TOKEN), null).status())
        .isEqualTo(200);
    assertThat(
            send(
                    HttpMethod.POST,
                    "/health/trigger/writer",
                    Map.of("authorization", "bearer " + TOKEN),
                    null)
                .status())
        .isEqualTo(200);
    assertThat(send(HttpMethod.POST, "/config/reload", bearer(TOKEN), null).status())
        .isEqualTo(200);
    for (String path : List.of("/", "/health", "/health/status", "/health/status/writer")) {
      assertThat(send(HttpMethod.GET, path, Map.of(), null).status()).as(path).isEqualTo(200);
    }
    assertThat(logs.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .noneMatch(line -> line.contains(TOKEN));
  }

  @Test
  void bodiesAreBounded() throws Exception {
    start(Map.of());
    Answer declared =
        send(HttpMethod.POST, "/health/trigger", Map.of(), Buffer.buffer(new byte[100_000]));
    assertThat(declared.status()).isEqualTo(413);
    assertThat(declared.json().getString("error")).isEqualTo("request_entity_too_large");

    StringBuilder chunked =
        new StringBuilder(
            "POST /health/trigger HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
    for (int i = 0; i < 20; i++) {
      chunked.append("2000\r\n").append("x".repeat(8_192)).append("\r\n");
    }
    chunked.append("0\r\n\r\n");
    assertThat(raw(chunked.toString())).startsWith("HTTP/1.1 413");

    assertThat(send(HttpMethod.POST, "/health/trigger", Map.of(), Buffer.buffer("{}")).status())
        .isEqualTo(200);
    assertThat(
            send(HttpMethod.GET, "/health/status", Map.of(), Buffer.buffer(new byte[70_000]))
                .status())
        .isEqualTo(413);
  }

  @Test
  void aStormOfTriggersProbesEachServiceOnce() throws Exception {
    start(Map.of("TRIGGER_MIN_GAP", "600"));
    TargetServer writer = targets.get(0);
    awaitFirstResult("writer");
    int before = writer.requests();
    List<Future<Answer>> storm = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      storm.add(
          sendAsync(
              HttpMethod.POST,
              i % 10 == 0 ? "/health/trigger/writer" : "/health/trigger",
              Map.of(),
              null));
    }
    await(Future.all(storm), Duration.ofSeconds(120));
    assertThat(storm).allSatisfy(answer -> assertThat(answer.result().status()).isEqualTo(200));
    assertThat(writer.requests() - before)
        .as("probes of writer caused by 10,000 triggers within the gap")
        .isEqualTo(1);
  }

  @Test
  void statusQueriesAnswerWhileEveryTargetHangs() throws Exception {
    Map<String, String> hanging = new HashMap<>();
    hanging.put("HEALTH_CHECK_TIMEOUT", "30");
    hanging.put("HEALTH_CHECK_INTERVAL", "60");
    start(hanging);
    targets.forEach(TargetServer::hang);
    // A trigger waits for the hanging probes, from a client of its own.
    vertx
        .createHttpClient()
        .request(HttpMethod.POST, port, "127.0.0.1", "/health/trigger")
        .compose(request -> request.send());
    for (int i = 0; i < 200; i++) {
      Answer status = send(HttpMethod.GET, "/health/status", Map.of(), null);
      assertThat(status.status()).isEqualTo(200);
      assertThat(status.json().getJsonObject("services").fieldNames())
          .containsExactly("writer", "research", "backend");
    }
  }

  @Test
  void aSeededFuzzerNeverGetsAServerErrorOrAStackTrace() throws Exception {
    start(Map.of("ORCHESTRATOR_API_TOKEN", TOKEN, "TRIGGER_MIN_GAP", "600"));
    Random random = new Random(20261130L);
    String[] methods = {
      "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND", "X-FUZZ"
    };
    String[] paths = {
      "/",
      "/health",
      "/health/",
      "/health/status",
      "/health/status/writer",
      "/health/status/%00",
      "/health/status/..%2F..%2Fetc",
      "/health/history/writer",
      "/health/history/writer?limit=-1",
      "/health/history/writer?limit=99999999999",
      "/health/history/nope",
      "/health/schedule",
      "/metrics",
      "/health/events?refresh=0",
      "/health/events?refresh=%ff",
      "/health/trigger",
      "/health/trigger/writer",
      "/health/trigger/%E2%98%83",
      "/config/reload",
      "//",
      "/nope",
      "/health/status?tag=",
      "/health/status?tag=%ff",
      "/" + "a".repeat(3_000),
      "/health/status?x=" + "y".repeat(2_000)
    };
    for (int i = 0; i < 3_000; i++) {
      HttpMethod method = HttpMethod.valueOf(methods[random.nextInt(methods.length)]);
      String path = paths[random.nextInt(paths.length)];
      Map<String, String> headers = new HashMap<>();
      switch (random.nextInt(6)) {
        case 0 -> headers.put("Authorization", "Bearer " + randomText(random, 40));
        case 1 -> headers.put("Authorization", "Bearer " + TOKEN);
        case 2 -> headers.put("Content-Type", randomText(random, 20));
        case 3 -> headers.put("Accept", "*/*;q=" + randomText(random, 5));
        case 4 -> headers.put("X-" + random.nextInt(1000), randomText(random, 200));
        default -> {}
      }
      Buffer body = null;
      if (random.nextBoolean() && method != HttpMethod.GET && method != HttpMethod.HEAD) {
        byte[] bytes = new byte[random.nextInt(random.nextBoolean() ? 100 : 80_000)];
        random.nextBytes(bytes);
        body = Buffer.buffer(bytes);
      }
      Answer answer = send(method, path, headers, body);
      String context = method + " " + path + " " + headers;
      assertThat(answer.status()).as(context).isBetween(200, 499);
      if (answer.status() >= 400 && method != HttpMethod.HEAD) {
        assertThat(answer.json().getString("error")).as(context).isNotBlank();
      }
      assertThat(answer.body()).as(context).doesNotContain("Exception").doesNotContain("\tat ");
    }
    rawGarbageGetsA4xxOrAClosedConnection(random);
    // Requests a well-behaved client cannot even send.
    assertThat(raw("GET /health/status/%zz HTTP/1.1\r\nHost: a\r\n\r\n"))
        .matches("(?s)HTTP/1\\.[01] 400 .*");
    assertThat(raw("GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: a\r\n\r\n"))
        .matches("(?s)HTTP/1\\.[01] 414 .*");
    assertThat(raw("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + "b".repeat(10_000) + "\r\n\r\n"))
        .matches("(?s)HTTP/1\\.[01] 431 .*");
    assertThat(raw("POST /health/trigger HTTP/1.1\r\nHost: a\r\nContent-Length: x\r\n\r\n"))
        .matches("(?s)HTTP/1\\.[01] 400 .*");
  }

  /** Sends raw bytes; what came back before the server closed (or {@link #RAW_WAIT_MS}). */
  private String raw(String request) throws Exception {
    String answer = rawAnswer(request);
    if (!answer.isEmpty()) {
      ApiContract.validateRaw(request, answer);
    }
    return answer;
  }

  private String rawAnswer(String request) throws Exception {
    CompletableFuture<String> reply = new CompletableFuture<>();
    vertx
        .createNetClient()
        .connect(port, "127.0.0.1")
        .onSuccess(
            socket -> {
              Buffer received = Buffer.buffer();
              socket.handler(received::appendBuffer);
              socket.closeHandler(closed -> reply.complete(received.toString()));
              socket.write(
                  Buffer.buffer(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
              vertx.setTimer(RAW_WAIT_MS, timer -> socket.close());
            })
        .onFailure(reply::completeExceptionally);
    return reply.get(WAIT_S, TimeUnit.SECONDS);
  }

  private void rawGarbageGetsA4xxOrAClosedConnection(Random random) throws Exception {
    NetClient net = vertx.createNetClient();
    for (int i = 0; i < 200; i++) {
      byte[] garbage = new byte[1 + random.nextInt(500)];
      random.nextBytes(garbage);
      if (random.nextBoolean()) {
        garbage =
            ("GET /"
                    + randomText(random, 30)
                    + " HTTP/1."
                    + random.nextInt(3)
                    + "\r\n"
                    + randomText(random, 50)
                    + "\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
      }
      byte[] request = garbage;
      CompletableFuture<String> reply = new CompletableFuture<>();
      net.connect(port, "127.0.0.1")
          .onSuccess(
              socket -> {
                Buffer received = Buffer.buffer();
                socket.handler(received::appendBuffer);
                socket.closeHandler(closed -> reply.complete(received.toString()));
                socket.write(Buffer.buffer(request));
                vertx.setTimer(RAW_WAIT_MS, timer -> socket.close());
              })
          .onFailure(reply::completeExceptionally);
      String answer = reply.get(WAIT_S, TimeUnit.SECONDS);
      if (!answer.isEmpty()) {
        if (answer.startsWith("HTTP/1.2 ")) {
          // An HTTP version other than 1.0 and 1.1: Vert.x itself answers 501, before any
          // handler of the API runs (no stack trace, nothing of ours involved).
          assertThat(answer).matches("(?s)HTTP/1\\.2 (4\\d\\d|501) .*");
        } else {
          assertThat(answer).matches("(?s)HTTP/1\\.[01] [1-4]\\d\\d .*");
          ApiContract.validateRaw(
              new String(request, java.nio.charset.StandardCharsets.ISO_8859_1), answer);
        }
        assertThat(answer).doesNotContain("Exception");
      }
    }
  }

  private static String randomText(Random random, int maxLength) {
    StringBuilder text = new StringBuilder();
    int length = random.nextInt(maxLength + 1);
    for (int i = 0; i < length; i++) {
      text.append((char) (0x21 + random.nextInt(0x5e)));
    }
    return text.toString();
  }

  private void start(Map<String, String> settings) throws Exception {
    for (int i = 0; i < 3; i++) {
      targets.add(await(TargetServer.start(vertx)));
    }
    port =
        await(
                InProcessOrchestrator.on(vertx)
                    .monitoring(targets.get(0).url(), targets.get(1).url(), targets.get(2).url())
                    .set(settings)
                    .start())
            .port();
    client = vertx.createHttpClient(new PoolOptions().setHttp1MaxSize(50));
  }

  /**
   * Until the first round's result for {@code service} is in its status (not only sent: a probe in
   * flight would be joined by the next trigger instead of counted).
   */
  private void awaitFirstResult(String service) throws InterruptedException {
    Await.until(
        () -> {
          try {
            Answer answer = send(HttpMethod.GET, "/health/status/" + service, Map.of(), null);
            return answer.status() == 200
                && new JsonObject(answer.body()).getLong("total_checks", 0L) > 0;
          } catch (Exception notYet) {
            return false;
          }
        },
        WAIT_S * 1000);
  }

  private static Map<String, String> bearer(String token) {
    return Map.of("Authorization", "Bearer " + token);
  }

  private record Answer(int status, io.vertx.core.MultiMap headers, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  /**
   * One request from the JDK's HTTP client (a client other than Vert.x's, so the server is not
   * tested against its own stack only).
   */
  private Answer send(HttpMethod method, String path, Map<String, String> headers, Buffer body)
      throws Exception {
    java.net.http.HttpRequest.Builder request =
        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
            .timeout(java.time.Duration.ofSeconds(WAIT_S))
            .method(
                method.name(),
                body == null
                    ? java.net.http.HttpRequest.BodyPublishers.noBody()
                    : java.net.http.HttpRequest.BodyPublishers.ofByteArray(body.getBytes()));
    headers.forEach(request::header);
    java.net.http.HttpResponse<String> response;
    try {
      response =
          JDK_CLIENT.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException cutShort) {
      // A refused upload may be cut short by the server's close before the client reads the 413.
      if (body != null && body.length() > RequestBodyLimit.MAX_BYTES) {
        return new Answer(
            413,
            io.vertx.core.MultiMap.caseInsensitiveMultiMap(),
            "{\"error\":\"request_entity_too_large\"}");
      }
      throw cutShort;
    }
    ApiContract.validated(response);
    io.vertx.core.MultiMap responseHeaders = io.vertx.core.MultiMap.caseInsensitiveMultiMap();
    response.headers().map().forEach(responseHeaders::add);
    return new Answer(response.statusCode(), responseHeaders, response.body());
  }

  /** One request from Vert.x's client, for the storm: thousands in flight over 50 connections. */
  private Future<Answer> sendAsync(
      HttpMethod method, String path, Map<String, String> headers, Buffer body) {
    RequestOptions options =
        new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(path);
    headers.forEach(options::putHeader);
    return client
        .request(options)
        .compose(request -> body == null ? request.send() : request.send(body))
        .compose(
            (HttpClientResponse response) ->
                ApiContract.validatedBody(response)
                    .map(
                        received ->
                            new Answer(
                                response.statusCode(), response.headers(), received.toString())));
  }

  private static ListAppender<ILoggingEvent> captureLogs() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    root.addAppender(appender);
    return appender;
  }
}
