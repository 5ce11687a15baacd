package io.extrophi.orchestrator.http;

import static io.extrophi.orchestrator.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.bus.ProbeResult;
import io.extrophi.orchestrator.config.ServiceDefinition;
import io.extrophi.orchestrator.status.StatusBoard;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.view.EncodedSnapshot;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A large {@code GET /health/status} written in chunks over a real socket is the same answer as the
 * whole document in one buffer: the same bytes, the same {@code Content-Length}, gzip as before,
 * and HEAD with the length alone.
 */
@IntegrationTest
class StreamedJsonTest {

  private static final Instant NOW = Instant.parse("2026-12-06T23:00:00.123456Z");
  private static final int SERVICES = 5_000;

  private Vertx vertx;
  private EncodedSnapshot snapshot;
  private int port;

  @BeforeEach
  void serveALargeFleet() throws Exception {
    vertx = Vertx.vertx();
    List<ServiceDefinition> fleet = new ArrayList<>();
    for (int i = 0; i < SERVICES; i++) {
      fleet.add(
          ServiceDefinition.builder("service-" + i, "http://127.0.0.1/health")
              .interval(Duration.ofSeconds(10))
              .timeout(Duration.ofSeconds(2))
              .build());
    }
    StatusBoard board = new StatusBoard(fleet, 10);
    for (int i = 0; i < SERVICES; i += 3) {
      board.apply(ProbeResult.failure("service-" + i, 503, 1.5, "HTTP 503", NOW));
    }
    snapshot = board.encodedSnapshot(NOW.toEpochMilli());
    HttpServer server =
        await(
            vertx
                .createHttpServer(
                    new HttpServerOptions()
                        .setCompressionSupported(true)
                        .setCompressionLevel(HttpApiVerticle.COMPRESSION_LEVEL)
                        .setCompressionContentSizeThreshold(
                            HttpApiVerticle.COMPRESSION_THRESHOLD_BYTES))
                .requestHandler(request -> StreamedJson.send(request, snapshot, NOW))
                .listen(0, "127.0.0.1"));
    port = server.actualPort();
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  /** The answer and its whole body: the body is asked for before any of it can arrive. */
  private record Answer(HttpClientResponse response, Buffer body) {}

  private Answer exchange(HttpMethod method, String acceptEncoding) throws Exception {
    HttpClient client = vertx.createHttpClient();
    return await(
        client
            .request(method, port, "127.0.0.1", "/")
            .compose(
                request -> {
                  if (acceptEncoding != null) {
                    request.putHeader(HttpHeaders.ACCEPT_ENCODING, acceptEncoding);
                  }
                  return request.send();
                })
            .compose(response -> response.body().map(body -> new Answer(response, body))));
  }

  @Test
  void aLargeDocumentInChunksIsTheSameBytesAndLengthAsWhole() throws Exception {
    byte[] whole = snapshot.render(NOW).getBytes();
    assertThat(whole.length).isGreaterThan(20 * StreamedJson.CHUNK_BYTES);
    Answer answer = exchange(HttpMethod.GET, null);
    assertThat(answer.response().statusCode()).isEqualTo(200);
    assertThat(answer.response().getHeader(HttpHeaders.CONTENT_LENGTH))
        .isEqualTo(String.valueOf(whole.length));
    assertThat(answer.response().getHeader(HttpHeaders.TRANSFER_ENCODING)).isNull();
    assertThat(answer.response().getHeader(HttpHeaders.CONTENT_TYPE)).isEqualTo("application/json");
    assertThat(answer.body().getBytes()).isEqualTo(whole);
  }

  @Test
  void aGzipClientGetsTheSameDocumentCompressed() throws Exception {
    byte[] whole = snapshot.render(NOW).getBytes();
    Answer answer = exchange(HttpMethod.GET, "gzip");
    assertThat(answer.response().getHeader(HttpHeaders.CONTENT_ENCODING)).isEqualTo("gzip");
    assertThat(answer.body().length()).isLessThan(whole.length / 4);
    try (GZIPInputStream unzipped =
        new GZIPInputStream(new ByteArrayInputStream(answer.body().getBytes()))) {
      assertThat(unzipped.readAllBytes()).isEqualTo(whole);
    }
  }

  @Test
  void headGivesTheLengthOfTheDocumentWithoutIt() throws Exception {
    int length = snapshot.render(NOW).length();
    Answer answer = exchange(HttpMethod.HEAD, null);
    assertThat(answer.response().statusCode()).isEqualTo(200);
    assertThat(answer.response().getHeader(HttpHeaders.CONTENT_LENGTH))
        .isEqualTo(String.valueOf(length));
    assertThat(answer.body().length()).isZero();
  }
}
