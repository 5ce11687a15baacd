package io.extrophi.orchestrator.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.function.Supplier;

/**
 * Access control of the requests that change state (triggers, reloads): open while no {@code
 * ORCHESTRATOR_API_TOKEN} is configured, otherwise only with {@code Authorization: Bearer <token>}.
 * Read endpoints are always open.
 *
 * <p>The presented token is compared with the configured one through their SHA-256 digests and
 * {@link MessageDigest#isEqual}, so the time taken reveals neither the token's content nor its
 * length; neither is ever logged.
 */
final class ApiAccess {

  private static final String BEARER = "Bearer ";

  private final Supplier<String> token;

  /**
   * @param token the configured token, read on every request (a reload may change it); {@code null}
   *     when requests are open
   */
  ApiAccess(Supplier<String> token) {
    this.token = token;
  }

  /** {@code handler} behind the token check: without a valid token, 401 and nothing happens. */
  Handler<RoutingContext> guard(Handler<RoutingContext> handler) {
    return ctx -> {
      if (allows(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))) {
        handler.handle(ctx);
        return;
      }
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"orchestrator\"");
      ApiError.send(
          ctx.response(),
          401,
          "this request changes state and needs the API token: Authorization: Bearer <token>");
    };
  }

  boolean allows(String authorization) {
    String expected = token.get();
    if (expected == null) {
      return true;
    }
    if (authorization == null
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return false;
    }
    String presented = authorization.substring(BEARER.length()).strip();
    return MessageDigest.isEqual(sha256(presented), sha256(expected));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException impossible) {
      // Every Java platform must provide SHA-256.
      throw new IllegalStateException(impossible);
    }
  }
}
