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
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
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

  /**
   * One exchange through {@link WebClient}, which gathers the body itself: a bare {@code
   * HttpClient} asked for the body from the test's thread can ask after a HEAD answer has already
   * ended, and then waits forever.
   */
  private HttpResponse<Buffer> exchange(HttpMethod method, String acceptEncoding) throws Exception {
    HttpRequest<Buffer> request = WebClient.create(vertx).request(method, port, "127.0.0.1", "/");
    if (acceptEncoding != null) {
      request.putHeader(HttpHeaders.ACCEPT_ENCODING.toString(), acceptEncoding);
    }
    return await(request.send());
  }

  private static byte[] bytes(HttpResponse<Buffer> answer) {
    return answer.body() == null ? new byte[0] : answer.body().getBytes();
  }

  @Test
  void aLargeDocumentInChunksIsTheSameBytesAndLengthAsWhole() throws Exception {
    byte[] whole = snapshot.render(NOW).getBytes();
    assertThat(whole.length)
        .isGreaterThan(StreamedJson.WHOLE_BYTES)
        .isGreaterThan(20 * StreamedJson.CHUNK_BYTES);
    HttpResponse<Buffer> answer = exchange(HttpMethod.GET, null);
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.getHeader(HttpHeaders.CONTENT_LENGTH.toString()))
        .isEqualTo(String.valueOf(whole.length));
    assertThat(answer.getHeader(HttpHeaders.TRANSFER_ENCODING.toString())).isNull();
    assertThat(answer.getHeader(HttpHeaders.CONTENT_TYPE.toString())).isEqualTo("application/json");
    assertThat(bytes(answer)).isEqualTo(whole);
  }

  @Test
  void aGzipClientGetsTheSameDocumentCompressed() throws Exception {
    byte[] whole = snapshot.render(NOW).getBytes();
    HttpResponse<Buffer> answer = exchange(HttpMethod.GET, "gzip");
    assertThat(answer.getHeader(HttpHeaders.CONTENT_ENCODING.toString())).isEqualTo("gzip");
    assertThat(bytes(answer).length).isLessThan(whole.length / 4);
    try (GZIPInputStream unzipped = new GZIPInputStream(new ByteArrayInputStream(bytes(answer)))) {
      assertThat(unzipped.readAllBytes()).isEqualTo(whole);
    }
  }

  @Test
  void headGivesTheLengthOfTheDocumentWithoutIt() throws Exception {
    int length = snapshot.render(NOW).length();
    HttpResponse<Buffer> answer = exchange(HttpMethod.HEAD, null);
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.getHeader(HttpHeaders.CONTENT_LENGTH.toString()))
        .isEqualTo(String.valueOf(length));
    assertThat(bytes(answer).length).isZero();
  }
}
