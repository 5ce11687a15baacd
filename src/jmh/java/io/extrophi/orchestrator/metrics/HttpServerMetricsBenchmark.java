package io.extrophi.orchestrator.metrics;

import io.extrophi.orchestrator.testing.ObservedHttp;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.EnumSet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the HTTP server metrics cost per request (begin, routed, request end, response end): {@link
 * HttpServerMeters} against Vert.x's own from {@code vertx-micrometer-metrics} with the same labels
 * (method, code, route) on a Prometheus registry, as the orchestrator used to run them.
 */
@State(Scope.Thread)
public class HttpServerMetricsBenchmark {

  private static final SocketAddress CLIENT = ObservedHttp.CLIENT;
  private static final String ROUTE = "/health/status";

  private final HttpRequest request = ObservedHttp.request(HttpMethod.GET, ROUTE);
  private final HttpResponse response = ObservedHttp.response(200);
  private HttpServerMeters lean;
  private Object leanSocket;
  private HttpServerMetrics<Object, Object, Object> micrometer;
  private Object micrometerSocket;

  @Setup
  @SuppressWarnings("unchecked")
  public void setUp() {
    lean = new HttpServerMeters();
    leanSocket = lean.connected(CLIENT, "127.0.0.1");
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    MicrometerMetricsOptions options =
        new MicrometerMetricsOptions()
            .setEnabled(true)
            .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE));
    micrometer =
        (HttpServerMetrics<Object, Object, Object>)
            new MicrometerMetricsFactory(registry)
                .metrics(new VertxOptions().setMetricsOptions(options))
                .createHttpServerMetrics(
                    new HttpServerOptions(), SocketAddress.inetSocketAddress(8003, "127.0.0.1"));
    micrometerSocket = micrometer.connected(CLIENT, "127.0.0.1");
  }

  @Benchmark
  public Object lean() {
    HttpServerMeters.RequestTiming timing = lean.requestBegin(leanSocket, request);
    lean.requestRouted(timing, ROUTE);
    lean.requestEnd(timing, request, 0);
    lean.responseEnd(timing, response, 1_300);
    return timing;
  }

  /** Vert.x's own, which the orchestrator used before {@link HttpServerMeters}. */
  @Benchmark
  public Object vertxMicrometer() {
    Object metric = micrometer.requestBegin(micrometerSocket, request);
    micrometer.requestRouted(metric, ROUTE);
    micrometer.requestEnd(metric, request, 0);
    micrometer.responseEnd(metric, response, 1_300);
    return metric;
  }
}
