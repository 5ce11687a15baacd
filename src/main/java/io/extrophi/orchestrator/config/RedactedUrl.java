package io.extrophi.orchestrator.config;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * A webhook URL as it may be logged. Webhook URLs are usually credentials in themselves (a Slack
 * incoming webhook's path is its secret), so only the scheme, host and port are shown.
 */
public final class RedactedUrl {

  private RedactedUrl() {}

  /**
   * {@code https://hooks.slack.com/services/T0/B0/xyz} becomes {@code https://hooks.slack.com/…}.
   */
  public static String of(String url) {
    if (url == null) {
      return "none";
    }
    try {
      URI uri = new URI(url);
      String host = UrlHost.of(uri).orElse("?");
      String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
      return uri.getScheme() + "://" + host + port + "/…";
    } catch (URISyntaxException e) {
      return "<unparsable URL>";
    }
  }
}
