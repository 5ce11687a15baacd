package io.extrophi.orchestrator.http;

import static io.extrophi.orchestrator.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.extrophi.orchestrator.testing.ApiContract;
import io.extrophi.orchestrator.testing.InProcessOrchestrator;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
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
    int port =
        await(
                InProcessOrchestrator.on(vertx)
                    .monitoring("http://127.0.0.1:1/health")
                    .set("HTTP_TLS_CERT_FILE", certificate.certificatePath())
                    .set("HTTP_TLS_KEY_FILE", certificate.privateKeyPath())
                    .start())
            .port();

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
