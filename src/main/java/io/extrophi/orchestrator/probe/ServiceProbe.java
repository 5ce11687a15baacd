package io.extrophi.orchestrator.probe;

import io.extrophi.orchestrator.bus.ProbeResult;
import io.extrophi.orchestrator.config.ConnectionMode;
import io.extrophi.orchestrator.config.ServiceDefinition;
import io.extrophi.orchestrator.config.StatusRanges;
import io.extrophi.orchestrator.config.UrlHost;
import io.extrophi.orchestrator.document.DocumentFormat;
import io.extrophi.orchestrator.document.DocumentReading;
import io.extrophi.orchestrator.document.HealthDocuments;
import io.extrophi.orchestrator.document.HealthReport;
import io.extrophi.orchestrator.document.ReportedStatus;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLSession;

/**
 * Sends one health request to one service and describes what happened as a {@link ProbeResult}. It
 * never fails its future: every failure becomes an unhealthy result with a specific message, so
 * callers have a single path.
 *
 * <p>A response is healthy when its status is one of the service's expected codes (2xx by default),
 * its body satisfies the service's body condition, if any, and the health document in the body
 * (read under the service's {@code format}, see {@link HealthDocuments}) does not report a failure.
 * A document's warning is healthy, also at a 5xx, which frameworks answer warnings with.
 *
 * <p><b>Deadline.</b> The service's timeout runs from the moment the probe is sent: waiting for a
 * connection (see {@link ConnectionWaits}), connecting, and the whole response, body included. At
 * the deadline the request is reset and the connection closed.
 *
 * <p><b>Body.</b> At most {@code maxBodyBytes} of any body are read, whether or not the service has
 * a body condition. A body that goes past it ends the probe there and the connection is reset, not
 * drained, so a target streaming without end costs neither memory nor bandwidth. The probe is then
 * judged on what it has: a wrong status fails as usual; with a body condition it fails with {@code
 * body exceeds N bytes}; otherwise the status already judged it healthy and the body is not needed.
 */
public final class ServiceProbe {

  /** How long a fresh connection waits for the server to close it after a complete answer. */
  private static final long SERVER_CLOSE_GRACE_MS = 2_000;

  private final ProbeClients clients;
  private final ServiceDefinition service;
  private final String host;
  private final int maxBodyBytes;
  private final Clock clock;
  // What every probe of this service sends, made once: a probe only reads them.
  private final RequestOptions requestOptions;
  private final HttpConnectOptions freshTarget;

  public ServiceProbe(
      ProbeClients clients, ServiceDefinition service, int maxBodyBytes, Clock clock) {
    this.clients = clients;
    this.service = service;
    this.host = UrlHost.of(URI.create(service.url())).orElse(service.url());
    this.maxBodyBytes = maxBodyBytes;
    this.clock = clock;
    this.requestOptions = requestOf(service);
    this.freshTarget =
        service.connection() == ConnectionMode.FRESH ? ProbeClients.connectOptions(service) : null;
  }

  private static RequestOptions requestOf(ServiceDefinition service) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.valueOf(service.method()))
            .setAbsoluteURI(service.url())
            .setFollowRedirects(false)
            // Also bounds the wait in the pool: a request still without a connection at the
            // deadline gives up its place there.
            .setConnectTimeout(service.timeout().toMillis())
            .putHeader(HttpHeaders.USER_AGENT, ProbeClients.USER_AGENT);
    service.headers().forEach(options::putHeader);
    if (service.connection() == ConnectionMode.FRESH) {
      options.putHeader(HttpHeaders.CONNECTION, "close");
    }
    return options;
  }

  public ServiceDefinition service() {
    return service;
  }

  /** Sends the request now. */
  public Future<ProbeResult> send() {
    return new Exchange().start();
  }

  /** The result of a probe that failed before a response was judged. */
  public ProbeResult describeFailure(Throwable failure) {
    return ProbeResult.failure(
        service.name(),
        null,
        null,
        FailureDescriptions.of(failure, host, service.timeout()),
        clock.instant());
  }

  /** One probe, from sending to its result. */
  private final class Exchange {
    private final long startedAt = System.nanoTime();
    private final Promise<ProbeResult> outcome = Promise.promise();
    private final Buffer body =
        service.bodyCondition() == null && !service.document().format().readsBody()
            ? null
            : Buffer.buffer();
    private String contentType;
    private long deadlineTimer;
    private HttpClientConnection ownConnection;
    private HttpClientRequest request;
    private int status;
    private long bodyBytes;
    private boolean answeredInFull;

    Future<ProbeResult> start() {
      deadlineTimer = clients.vertx().setTimer(service.timeout().toMillis(), expired -> expire());
      if (freshTarget != null) {
        clients.connect(service, freshTarget).onComplete(this::connectedFresh);
      } else {
        clients.clientFor(service).request(requestOptions).onComplete(this::connected);
      }
      return outcome.future();
    }

    private void connectedFresh(AsyncResult<HttpClientConnection> connected) {
      if (connected.succeeded()) {
        ownConnection = connected.result();
        if (outcome.future().isComplete()) {
          ownConnection.close();
          return;
        }
        ownConnection.request(requestOptions).onComplete(this::connected);
      } else {
        connected(Future.failedFuture(connected.cause()));
      }
    }

    private void connected(AsyncResult<HttpClientRequest> obtained) {
      if (outcome.future().isComplete()) {
        // The deadline passed while waiting: give the connection back unused.
        if (obtained.succeeded()) {
          obtained.result().reset();
        }
        return;
      }
      clients.waits().obtained(elapsedMillis(), clock.millis());
      if (obtained.failed()) {
        finish(describeFailure(obtained.cause()));
        return;
      }
      request = obtained.result();
      request.send().onComplete(this::responded);
    }

    private void responded(AsyncResult<HttpClientResponse> answered) {
      if (answered.failed()) {
        finish(describeFailure(answered.cause()));
        return;
      }
      HttpClientResponse response = answered.result();
      status = response.statusCode();
      contentType = response.getHeader(HttpHeaders.CONTENT_TYPE);
      response.exceptionHandler(failure -> finish(describeFailure(failure)));
      response.handler(this::received);
      response.endHandler(
          end -> {
            // The server was asked to close (Connection: close) and usually has, or will in a
            // moment: the side that closes first keeps the socket in TIME_WAIT, and on this side
            // that would hold one of the few ephemeral ports per target address for a minute.
            answeredInFull = true;
            finish(judge(false));
          });
    }

    private void received(Buffer chunk) {
      if (outcome.future().isComplete()) {
        return;
      }
      bodyBytes += chunk.length();
      if (bodyBytes > maxBodyBytes) {
        finish(judge(true));
        // Closes the connection instead of reading the rest of the body.
        request.reset();
        return;
      }
      if (body != null) {
        body.appendBuffer(chunk);
      }
    }

    private void expire() {
      if (outcome.future().isComplete()) {
        return;
      }
      if (request == null) {
        clients.waits().timedOut(elapsedMillis(), clock.millis());
        finish(
            ProbeResult.failure(
                service.name(),
                null,
                null,
                FailureDescriptions.timeout(service.timeout()) + " waiting for a connection",
                clock.instant()));
        return;
      }
      TimeoutException timeout =
          new TimeoutException("no complete response within " + service.timeout().toMillis());
      request.reset(0, timeout);
      finish(describeFailure(timeout));
    }

    private void finish(ProbeResult result) {
      if (outcome.tryComplete(result)) {
        clients.vertx().cancelTimer(deadlineTimer);
        if (ownConnection != null) {
          closeOwnConnection();
        }
      }
    }

    /**
     * After a complete answer the server closes first, as asked; the connection is closed here only
     * if it has not within {@link #SERVER_CLOSE_GRACE_MS}. After anything else, at once.
     */
    private void closeOwnConnection() {
      HttpClientConnection connection = ownConnection;
      SSLSession session = connection.sslSession();
      if (session != null) {
        // So that the next probe makes a full handshake and checks the certificate again: both
        // TLS engines keep resumable sessions per host and port (see ProbeTls).
        session.invalidate();
      }
      if (!answeredInFull) {
        connection.close();
        return;
      }
      long grace = clients.vertx().setTimer(SERVER_CLOSE_GRACE_MS, id -> connection.close());
      connection.closeHandler(closed -> clients.vertx().cancelTimer(grace));
    }

    /**
     * @param truncated whether the body went past {@code maxBodyBytes} and was not read to its end
     */
    private ProbeResult judge(boolean truncated) {
      double responseTimeMs = elapsedMillis();
      DocumentReading document = readDocument(truncated);
      HealthReport report = document instanceof DocumentReading.Read read ? read.report() : null;
      StatusRanges expected = service.expectedStatus();
      // Frameworks answer a warning (Spring's OUT_OF_SERVICE) with 503: the document decides.
      boolean warningAtServerError =
          report != null && report.verdict() == ReportedStatus.WARN && status >= 500;
      if (!expected.contains(status) && !warningAtServerError) {
        String message = FailureDescriptions.httpStatus(status);
        if (!expected.equals(StatusRanges.SUCCESS)) {
          message += " (expected " + expected + ")";
        }
        if (report != null && report.verdict() == ReportedStatus.FAIL) {
          message += ": " + report.reason();
        }
        return withDocument(
            ProbeResult.failure(service.name(), status, responseTimeMs, message, clock.instant()),
            report);
      }
      if (service.bodyCondition() != null) {
        Optional<String> bodyFailure =
            truncated
                ? Optional.of("body exceeds " + maxBodyBytes + " bytes")
                : BodyCheck.failure(service.bodyCondition(), body);
        if (bodyFailure.isPresent()) {
          return withDocument(
              ProbeResult.failure(
                  service.name(), status, responseTimeMs, bodyFailure.get(), clock.instant()),
              report);
        }
      }
      if (document instanceof DocumentReading.Unreadable unreadable) {
        return ProbeResult.failure(
            service.name(), status, responseTimeMs, unreadable.why(), clock.instant());
      }
      if (report != null && report.verdict() == ReportedStatus.FAIL) {
        return ProbeResult.failure(
                service.name(), status, responseTimeMs, report.reason(), clock.instant())
            .withDocument(report);
      }
      return withDocument(
          ProbeResult.success(service.name(), status, responseTimeMs, clock.instant()), report);
    }

    /**
     * The body read under the service's format. A body past the cap is no document under {@code
     * auto} (the status code judges it, as before) and a failure under an explicit format.
     */
    private DocumentReading readDocument(boolean truncated) {
      DocumentFormat format = service.document().format();
      if (!format.readsBody()) {
        return DocumentReading.NotADocument.INSTANCE;
      }
      if (truncated) {
        return format == DocumentFormat.AUTO
            ? DocumentReading.NotADocument.INSTANCE
            : new DocumentReading.Unreadable("body exceeds " + maxBodyBytes + " bytes");
      }
      return HealthDocuments.read(
          format, service.document().warnOn(), contentType, status, body.getBytes());
    }

    private static ProbeResult withDocument(ProbeResult result, HealthReport report) {
      return report == null ? result : result.withDocument(report);
    }

    private double elapsedMillis() {
      long elapsedMicros = (System.nanoTime() - startedAt) / 1_000;
      return Math.round(elapsedMicros / 10.0) / 100.0;
    }
  }
}
