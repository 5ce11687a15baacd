package io.extrophi.orchestrator.config;

import java.net.URI;
import java.util.Optional;

/**
 * The host of a service URL. {@link URI#getHost()} is null for names with an underscore
 * (docker-compose service names such as {@code my_service}), which are valid targets, so the host
 * is then read from the authority without user info and port.
 */
public final class UrlHost {

  private UrlHost() {}

  /**
   * @return the host, or empty when the URL has none
   */
  public static Optional<String> of(URI uri) {
    if (uri.getHost() != null) {
      return uri.getHost().isEmpty() ? Optional.empty() : Optional.of(uri.getHost());
    }
    String authority = uri.getRawAuthority();
    if (authority == null) {
      return Optional.empty();
    }
    String host = authority.substring(authority.lastIndexOf('@') + 1).replaceFirst(":\\d*$", "");
    boolean valid = !host.isEmpty() && host.chars().noneMatch(c -> c == ':' || c == '/');
    return valid ? Optional.of(host) : Optional.empty();
  }
}
