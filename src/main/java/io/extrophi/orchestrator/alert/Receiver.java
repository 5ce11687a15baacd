package io.extrophi.orchestrator.alert;

import io.extrophi.orchestrator.config.AlertFormat;
import io.extrophi.orchestrator.config.RedactedUrl;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A webhook and the format it wants. Each receiver has its own ordered queue, so one URL named
 * twice in the same format (globally and by a service) gets each alert once.
 *
 * @param url the webhook; treated as a secret: {@link #toString()} shows only its host
 * @param format the body of the requests
 */
public record Receiver(String url, AlertFormat format) {

  public Receiver {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(format, "format");
  }

  /** The request body for {@code alert}. */
  Buffer body(Alert alert) {
    return switch (format) {
      case JSON -> alert.toJson().toBuffer();
      case SLACK -> SlackMessage.of(alert).toBuffer();
    };
  }

  /**
   * {@code https://hooks.slack.com/… #3fa2c1 (slack)}: the host, and a fingerprint of the full URL
   * that tells two webhooks on one host apart without revealing either.
   */
  @Override
  public String toString() {
    return RedactedUrl.of(url) + " #" + fingerprint() + " (" + format.configName() + ")";
  }

  private String fingerprint() {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 3);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
