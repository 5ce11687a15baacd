package io.extrophi.orchestrator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

/**
 * The API's one error shape, as a test expects it: the status, a JSON body naming the error code
 * and repeating the status. {@link ApiContract} checks the rest of the shape.
 */
public final class JsonErrorAnswer {

  private JsonErrorAnswer() {}

  /** {@code response} is the JSON error {@code error} with {@code status}; its body returned. */
  public static JsonObject assertJsonError(HttpResponse<?> response, int status, String error) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.getHeader("content-type")).isEqualTo("application/json");
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("error")).isEqualTo(error);
    assertThat(body.getInteger("status")).isEqualTo(status);
    return body;
  }
}
