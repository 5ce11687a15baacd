package io.extrophi.orchestrator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.ObservedHttp;
import io.extrophi.orchestrator.testing.PrometheusText;
import io.extrophi.orchestrator.testing.UnitTest;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.observability.HttpRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The HTTP server series as Vert.x's metrics SPI drives them, call by call (the order Vert.x calls
 * them in, including resets before and after a request ended). {@code PrometheusMetricsTest} checks
 * them against a real server's requests.
 */
@UnitTest
class HttpServerMetersTest {

  private final HttpServerMeters meters = new HttpServerMeters();

  @Test
  void countsEachResponseUnderItsMethodCodeAndRoute() throws IOException {
    for (int i = 0; i < 3; i++) {
      HttpServerMeters.RequestTiming timing = meters.requestBegin(null, request(HttpMethod.GET));
      meters.requestRouted(timing, "/health/status/:name");
      meters.requestEnd(timing, null, 0);
      meters.responseEnd(timing, ObservedHttp.response(200), 100);
    }
    HttpServerMeters.RequestTiming missing = meters.requestBegin(null, request(HttpMethod.GET));
    meters.requestEnd(missing, null, 0);
    meters.responseEnd(missing, ObservedHttp.response(404), 50);

    PrometheusText scrape = scrape();
    Map<String, String> routed =
        Map.of("method", "GET", "code", "200", "route", "/health/status/:name");
    assertThat(scrape.value("vertx_http_server_requests_total", routed)).isEqualTo(3);
    assertThat(scrape.value("vertx_http_server_response_time_seconds_count", routed)).isEqualTo(3);
    assertThat(scrape.value("vertx_http_server_response_bytes_sum", routed)).isEqualTo(300);
    assertThat(
            scrape.value(
                "vertx_http_server_requests_total",
                Map.of("method", "GET", "code", "404", "route", "")))
        .isEqualTo(1);
    assertThat(scrape.value("vertx_http_server_request_bytes_count", Map.of("method", "GET")))
        .isEqualTo(4);
    assertThat(scrape.value("vertx_http_server_active_requests", Map.of("method", "GET"))).isZero();
  }

  @Test
  void aRequestIsActiveUntilBothDirectionsEndOrItIsReset() throws IOException {
    HttpServerMeters.RequestTiming answered = meters.requestBegin(null, request(HttpMethod.POST));
    HttpServerMeters.RequestTiming abandoned = meters.requestBegin(null, request(HttpMethod.POST));
    assertThat(active("POST")).isEqualTo(2);
    // Answered before its body was read: still active until the body ends.
    meters.responseEnd(answered, ObservedHttp.response(413), 10);
    assertThat(active("POST")).isEqualTo(2);
    meters.requestEnd(answered, null, 0);
    assertThat(active("POST")).isEqualTo(1);
    // A reset after the end does not count it out twice; one before the end counts it out once.
    meters.requestReset(answered);
    meters.requestReset(abandoned);
    meters.requestReset(abandoned);
    meters.requestEnd(abandoned, null, 0);
    assertThat(active("POST")).isZero();
    assertThat(scrape().value("vertx_http_server_request_resets_total", Map.of("route", "")))
        .isEqualTo(3);
  }

  @Test
  void inventedMethodsShareOneSeriesAndConnectionsAndBytesAddUp() throws IOException {
    for (String invented : new String[] {"FROB", "XYZZY", "PLUGH"}) {
      HttpServerMeters.RequestTiming timing =
          meters.requestBegin(null, request(HttpMethod.valueOf(invented)));
      meters.requestEnd(timing, null, 0);
      meters.responseEnd(timing, ObservedHttp.response(405), 20);
    }
    Object first = meters.connected(SocketAddress.inetSocketAddress(1, "127.0.0.1"), null);
    meters.connected(SocketAddress.inetSocketAddress(2, "127.0.0.1"), null);
    meters.disconnected(first, null);
    meters.bytesRead(null, null, 120);
    meters.bytesRead(null, null, 30);
    meters.bytesWritten(null, null, 500);
    meters.exceptionOccurred(null, null, new IOException("reset by peer"));

    PrometheusText scrape = scrape();
    assertThat(scrape.labelValues("vertx_http_server_requests_total", "method"))
        .containsExactly("OTHER");
    assertThat(
            scrape.value(
                "vertx_http_server_requests_total",
                Map.of("method", "OTHER", "code", "405", "route", "")))
        .isEqualTo(3);
    assertThat(scrape.value("vertx_http_server_active_connections", Map.of())).isEqualTo(1);
    assertThat(scrape.value("vertx_http_server_bytes_read_total", Map.of())).isEqualTo(150);
    assertThat(scrape.value("vertx_http_server_bytes_written_total", Map.of())).isEqualTo(500);
    assertThat(scrape.value("vertx_http_server_errors_total", Map.of("class", "IOException")))
        .isEqualTo(1);
  }

  private double active(String method) throws IOException {
    return scrape().value("vertx_http_server_active_requests", Map.of("method", method));
  }

  private PrometheusText scrape() throws IOException {
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(meters);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new PrometheusTextFormatWriter(false).write(out, registry.scrape());
    return PrometheusText.parse(out.toString(StandardCharsets.UTF_8));
  }

  private static HttpRequest request(HttpMethod method) {
    return ObservedHttp.request(method, "/");
  }
}
