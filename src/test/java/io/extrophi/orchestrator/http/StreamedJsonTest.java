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
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

  @Test
  void aLargeDocumentInChunksIsTheSameBytesAndLengthAsWhole() throws Exception {
    byte[] whole = snapshot.render(NOW).getBytes();
    assertThat(whole.length).isGreaterThan(20 * StreamedJson.CHUNK_BYTES);
    HttpClient client = vertx.createHttpClient();
    HttpClientResponse response =
        await(client.request(HttpMethod.GET, port, "127.0.0.1", "/").compose(r -> r.send()));
    Buffer body = await(response.body());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader(HttpHeaders.CONTENT_LENGTH))
        .isEqualTo(String.valueOf(whole.length));
    assertThat(response.getHeader(HttpHeaders.TRANSFER_ENCODING)).isNull();
    assertThat(response.getHeader(HttpHeaders.CONTENT_TYPE)).isEqualTo("application/json");
    assertThat(body.getBytes()).isEqualTo(whole);
  }

  @Test
  void aGzipClientGetsTheSameDocumentCompressed() throws Exception {
    byte[] whole = snapshot.render(NOW).getBytes();
    HttpClient client =
        vertx.createHttpClient(new HttpClientOptions().setDecompressionSupported(true));
    HttpClientResponse response =
        await(client.request(HttpMethod.GET, port, "127.0.0.1", "/").compose(r -> r.send()));
    Buffer body = await(response.body());
    assertThat(response.getHeader(HttpHeaders.CONTENT_ENCODING)).isEqualTo("gzip");
    assertThat(body.getBytes()).isEqualTo(whole);
  }

  @Test
  void headGivesTheLengthOfTheDocumentWithoutIt() throws Exception {
    int length = snapshot.render(NOW).length();
    HttpClient client = vertx.createHttpClient();
    HttpClientResponse response =
        await(client.request(HttpMethod.HEAD, port, "127.0.0.1", "/").compose(r -> r.send()));
    Buffer body = await(response.body());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader(HttpHeaders.CONTENT_LENGTH)).isEqualTo(String.valueOf(length));
    assertThat(body.length()).isZero();
  }
}
