package io.extrophi.orchestrator.http;

import static io.extrophi.orchestrator.testing.Await.await;
import static io.extrophi.orchestrator.testing.JsonErrorAnswer.assertJsonError;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.ApiClient;
import io.extrophi.orchestrator.testing.ApiVerticleAlone;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The API alone: when nothing answers on the event bus it says so in JSON, never a 500. */
@ExtendWith(VertxExtension.class)
@IntegrationTest
class HttpApiWithoutStatusTest {

  @Test
  void statusIsAJsonServiceUnavailableWhenTheStatusVerticleIsMissing(Vertx vertx) throws Exception {
    HttpApiVerticle alone = await(ApiVerticleAlone.deploy(vertx));
    ApiClient api = new ApiClient(vertx, alone.actualPort());

    HttpResponse<Buffer> response = await(api.get("/health/status"));

    assertJsonError(response, 503, "service_unavailable");
    assertThat(response.bodyAsString()).doesNotContain("Exception");
    api.close();
  }
}
