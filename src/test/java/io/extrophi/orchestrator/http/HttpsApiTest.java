package io.extrophi.orchestrator.http;

import static io.extrophi.orchestrator.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.extrophi.orchestrator.MainVerticle;
import io.extrophi.orchestrator.config.ConfigSources;
import io.extrophi.orchestrator.testing.ApiContract;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The API over HTTPS, from a PEM certificate and key in the configuration. */
@IntegrationTest
class HttpsApiTest {

  private final Vertx vertx = Vertx.vertx();
  private final SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
    certificate.delete();
  }

  @Test
  void servesHttpsOnlyWithTheConfiguredCertificate() throws Exception {
    MainVerticle main =
        new MainVerticle(
            ConfigSources.none()
                .withEnvironment(
                    Map.of(
                        "HTTP_HOST", "127.0.0.1",
                        "HTTP_PORT", "0",
                        "HEALTH_CHECK_INTERVAL", "600",
                        "WRITER_URL", "http://127.0.0.1:1/health",
                        "RESEARCH_URL", "http://127.0.0.1:1/health",
                        "BACKEND_URL", "http://127.0.0.1:1/health",
                        "HTTP_TLS_CERT_FILE", certificate.certificatePath(),
                        "HTTP_TLS_KEY_FILE", certificate.privateKeyPath())),
            false,
            false);
    await(vertx.deployVerticle(main));
    int port = main.httpPort();

    HttpClient https =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setSsl(true)
                .setTrustOptions(certificate.trustOptions())
                .setVerifyHost(false));
    String body =
        await(
                https
                    .request(HttpMethod.GET, port, "127.0.0.1", "/health")
                    .compose(request -> request.send())
                    .compose(ApiContract::validatedBody))
            .toString();
    assertThat(new JsonObject(body).getString("status")).isEqualTo("ok");

    HttpClient plain = vertx.createHttpClient();
    assertThatThrownBy(
            () ->
                plain
                    .request(HttpMethod.GET, port, "127.0.0.1", "/health")
                    .compose(request -> request.send())
                    .compose(response -> response.body())
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS))
        .as("no plain HTTP on the HTTPS port")
        .hasRootCauseInstanceOf(io.vertx.core.http.HttpClosedException.class);
  }
}
