package io.extrophi.orchestrator.probe;

import io.extrophi.orchestrator.bus.ProbeResult;
import io.extrophi.orchestrator.config.ServiceDefinition;
import io.extrophi.orchestrator.config.StatusRanges;
import io.extrophi.orchestrator.config.UrlHost;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.codec.BodyCodec;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;

/**
 * Sends one health request to one service with a non-blocking {@link WebClient} and describes what
 * happened as a {@link ProbeResult}. It never fails its future: every failure becomes an unhealthy
 * result with a specific message, so callers have a single path.
 *
 * <p>A response is healthy when its status is one of the service's expected codes (2xx by default)
 * and its body satisfies the service's body condition, if any. Without a body condition the body is
 * read to its end (the response time covers the whole response) and discarded; with one, at most
 * {@code maxBodyBytes} are kept and a larger body fails the probe.
 */
public final class ServiceProbe {

  private final WebClient client;
  private final ServiceDefinition service;
  private final String host;
  private final BodyCodec<Buffer> bodyCodec;
  private final Clock clock;

  public ServiceProbe(WebClient client, ServiceDefinition service, int maxBodyBytes, Clock clock) {
    this.client = client;
    this.service = service;
    this.host = UrlHost.of(URI.create(service.url())).orElse(service.url());
    this.bodyCodec = service.bodyCondition() == null ? null : new CappedBodyCodec(maxBodyBytes);
    this.clock = clock;
  }

  public ServiceDefinition service() {
    return service;
  }

  /** Sends the request now. */
  public Future<ProbeResult> send() {
    long startedAt = System.nanoTime();
    HttpRequest<Buffer> request =
        client
            .requestAbs(HttpMethod.valueOf(service.method()), service.url())
            .timeout(service.timeout().toMillis());
    service.headers().forEach(request::putHeader);
    Future<? extends HttpResponse<?>> response =
        bodyCodec == null ? request.as(BodyCodec.none()).send() : request.as(bodyCodec).send();
    return response
        .map(received -> judge(received, elapsedMillis(startedAt)))
        .otherwise(this::describeFailure);
  }

  /** The result of a probe that failed before a response was judged. */
  public ProbeResult describeFailure(Throwable failure) {
    String message =
        failure instanceof CappedBodyCodec.BodyTooLargeException
            ? failure.getMessage()
            : FailureDescriptions.of(failure, host, service.timeout());
    return ProbeResult.failure(service.name(), null, null, message, clock.instant());
  }

  private ProbeResult judge(HttpResponse<?> response, double responseTimeMs) {
    int status = response.statusCode();
    StatusRanges expected = service.expectedStatus();
    if (!expected.contains(status)) {
      String message = FailureDescriptions.httpStatus(status);
      if (!expected.equals(StatusRanges.SUCCESS)) {
        message += " (expected " + expected + ")";
      }
      return ProbeResult.failure(service.name(), status, responseTimeMs, message, clock.instant());
    }
    if (service.bodyCondition() != null) {
      Buffer body = response.body() instanceof Buffer buffer ? buffer : Buffer.buffer();
      Optional<String> bodyFailure = BodyCheck.failure(service.bodyCondition(), body);
      if (bodyFailure.isPresent()) {
        return ProbeResult.failure(
            service.name(), status, responseTimeMs, bodyFailure.get(), clock.instant());
      }
    }
    return ProbeResult.success(service.name(), status, responseTimeMs, clock.instant());
  }

  private static double elapsedMillis(long startedAtNanos) {
    long elapsedMicros = (System.nanoTime() - startedAtNanos) / 1_000;
    return Math.round(elapsedMicros / 10.0) / 100.0;
  }
}
