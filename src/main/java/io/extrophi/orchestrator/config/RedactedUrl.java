package io.extrophi.orchestrator.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A URL as it may be logged or shown by the API, with whatever in it may be a credential masked.
 */
public final class RedactedUrl {

  /** What a masked part of a URL is replaced by. */
  public static final String MASK = "***";

  /** The port at the end of an authority: {@code :8080}, not part of an IPv6 literal. */
  private static final Pattern PORT = Pattern.compile(":\\d+$");

  private RedactedUrl() {}

  /**
   * A webhook URL. Webhook URLs are usually credentials in themselves (a Slack incoming webhook's
   * path is its secret), so only the scheme, host and port are shown: {@code
   * https://hooks.slack.com/services/T0/B0/xyz} becomes {@code https://hooks.slack.com/…}.
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

  /**
   * A probed service's URL. The scheme, host, port and path say what is probed, so they are shown;
   * user info and query values are where such URLs carry secrets ({@code https://user:pw@…}, {@code
   * ?token=…}), so they are masked and only the query's parameter names stay: {@code
   * https://user:pw@api.internal:8443/health?token=abc&verbose} becomes {@code
   * https://***@api.internal:8443/health?token=***&***}. A fragment is never sent, so it is
   * dropped.
   */
  public static String ofCheck(String url) {
    try {
      URI uri = new URI(url);
      StringBuilder shown = new StringBuilder(uri.getScheme()).append("://");
      // Read from the raw authority: URI parses no user info or port beside a host it does not
      // take for a server name (my_service), see UrlHost.
      String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
      if (authority.contains("@")) {
        shown.append(MASK).append('@');
      }
      shown.append(UrlHost.of(uri).orElse("?"));
      Matcher port = PORT.matcher(authority);
      if (port.find()) {
        shown.append(port.group());
      }
      shown.append(uri.getRawPath() == null ? "" : uri.getRawPath());
      if (uri.getRawQuery() != null) {
        shown.append('?').append(maskedQuery(uri.getRawQuery()));
      }
      return shown.toString();
    } catch (URISyntaxException e) {
      return "<unparsable URL>";
    }
  }

  // A parameter without "=" may be a bare token (?s3cr3t): masked whole.
  private static String maskedQuery(String rawQuery) {
    return Arrays.stream(rawQuery.split("&", -1))
        .map(
            parameter -> {
              int equals = parameter.indexOf('=');
              if (parameter.isEmpty()) {
                return parameter;
              }
              return equals < 0 ? MASK : parameter.substring(0, equals + 1) + MASK;
            })
        .collect(Collectors.joining("&"));
  }
}
