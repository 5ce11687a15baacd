package io.extrophi.orchestrator.probe;

import io.extrophi.orchestrator.bus.ProbeResult;
import io.extrophi.orchestrator.config.ServiceDefinition;
import io.vertx.core.Future;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.codec.BodyCodec;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;

/**
 * Sends one health request to one service with a non-blocking {@link WebClient} and describes what
 * happened as a {@link ProbeResult}. It never fails its future: every failure becomes an unhealthy
 * result with a specific message, so callers have a single path.
 */
public final class ServiceProbe {

  private final WebClient client;
  private final ServiceDefinition service;
  private final String host;
  private final Duration timeout;
  private final Clock clock;

  public ServiceProbe(WebClient client, ServiceDefinition service, Duration timeout, Clock clock) {
    this.client = client;
    this.service = service;
    this.host = hostOf(service.url());
    this.timeout = timeout;
    this.clock = clock;
  }

  public ServiceDefinition service() {
    return service;
  }

  /** Sends the request now; the result is healthy for a 2xx response within the timeout. */
  public Future<ProbeResult> send() {
    long startedAt = System.nanoTime();
    // BodyCodec.none() reads the body to its end (the response time covers the whole response)
    // without keeping it in memory.
    return client
        .getAbs(service.url())
        .timeout(timeout.toMillis())
        .as(BodyCodec.none())
        .send()
        .map(response -> fromResponse(response, elapsedMillis(startedAt)))
        .otherwise(failure -> describeFailure(failure));
  }

  /** The result of a probe that the circuit breaker ended or never started. */
  public ProbeResult describeFailure(Throwable failure) {
    return ProbeResult.failure(
        service.name(),
        null,
        null,
        FailureDescriptions.of(failure, host, timeout),
        clock.instant());
  }

  private ProbeResult fromResponse(HttpResponse<Void> response, double responseTimeMs) {
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return ProbeResult.success(service.name(), status, responseTimeMs, clock.instant());
    }
    return ProbeResult.failure(
        service.name(),
        status,
        responseTimeMs,
        FailureDescriptions.httpStatus(status),
        clock.instant());
  }

  // URI.getHost() is null for names with an underscore (docker-compose service names), which
  // the configuration accepts; the authority without user info and port still names the host.
  private static String hostOf(String url) {
    URI uri = URI.create(url);
    if (uri.getHost() != null) {
      return uri.getHost();
    }
    String authority = uri.getRawAuthority();
    return authority.substring(authority.lastIndexOf('@') + 1).replaceFirst(":\\d*$", "");
  }

  private static double elapsedMillis(long startedAtNanos) {
    long elapsedMicros = (System.nanoTime() - startedAtNanos) / 1_000;
    return Math.round(elapsedMicros / 10.0) / 100.0;
  }
}
