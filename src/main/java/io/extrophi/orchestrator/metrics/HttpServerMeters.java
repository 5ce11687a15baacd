package io.extrophi.orchestrator.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * Vert.x's HTTP server metrics, with the names and labels {@code vertx-micrometer-metrics} gives
 * them, at a fraction of the cost: {@code vertx_http_server_requests_total{code,method,route}},
 * {@code vertx_http_server_response_time_seconds} and {@code vertx_http_server_response_bytes}
 * (summaries, same labels), {@code vertx_http_server_request_bytes{method}}, {@code
 * vertx_http_server_active_requests{method}}, {@code vertx_http_server_active_connections}, {@code
 * vertx_http_server_bytes_read_total} and {@code _written_total}, {@code
 * vertx_http_server_request_resets_total{route}}, {@code vertx_http_server_errors_total{class}} and
 * {@code vertx_http_server_active_ws_connections}.
 *
 * <p>Why not Vert.x's own: it looks five Micrometer meters up in the registry for every request
 * (building an id from the labels each time) and keeps a rolling maximum for each, which together
 * took a quarter of the requests per second {@code GET /health/status} can serve. Here a request
 * adds to a few plain counters, found under a small record key, and the series are built from them
 * when Prometheus scrapes (as {@link FleetCollector} does for the services). The summaries have a
 * count and a sum, no {@code _max}.
 *
 * <p>One instance serves every HTTP server of a Vert.x instance. Methods outside the known ones
 * count as {@code OTHER}, so a client cannot make the series grow by inventing methods.
 */
final class HttpServerMeters
    implements HttpServerMetrics<HttpServerMeters.RequestTiming, Object, Object>, MultiCollector {

  private static final String PREFIX = "vertx_http_server_";
  private static final Set<String> KNOWN_METHODS =
      HttpMethod.values().stream().map(HttpMethod::name).collect(Collectors.toUnmodifiableSet());
  private static final String OTHER_METHOD = "OTHER";

  /** Stands for the socket of a connection: nothing is tracked per connection. */
  private static final Object CONNECTION = new Object();

  private final LongAdder connections = new LongAdder();
  private final LongAdder webSockets = new LongAdder();
  private final LongAdder bytesRead = new LongAdder();
  private final LongAdder bytesWritten = new LongAdder();
  private final Map<String, MethodTally> byMethod = new ConcurrentHashMap<>();
  private final Map<ResponseKey, ResponseTally> byResponse = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> resetsByRoute = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> errorsByClass = new ConcurrentHashMap<>();

  /** One request on its way: when it began, its method's tally and the route it took. */
  static final class RequestTiming {
    private final long startNanos = System.nanoTime();
    private final MethodTally methodTally;
    private String route = "";
    private boolean requestEnded;
    private boolean responseEnded;
    private boolean reset;

    private RequestTiming(MethodTally methodTally) {
      this.methodTally = methodTally;
    }

    /** Whether this ends the request (both directions done, not reset): it stops being active. */
    private boolean endRequest() {
      requestEnded = true;
      return !reset && responseEnded;
    }

    private boolean endResponse() {
      responseEnded = true;
      return !reset && requestEnded;
    }
  }

  /** Requests of one method: in progress, and the sizes of those read. */
  private static final class MethodTally {
    final String method;
    final LongAdder active = new LongAdder();
    final LongAdder read = new LongAdder();
    final LongAdder readBytes = new LongAdder();

    MethodTally(String method) {
      this.method = method;
    }
  }

  private record ResponseKey(String method, int code, String route) {}

  /** Responses of one method, status code and route: how many, how long, how big. */
  private static final class ResponseTally {
    final LongAdder count = new LongAdder();
    final LongAdder nanos = new LongAdder();
    final LongAdder bytes = new LongAdder();
  }

  @Override
  public Object connected(SocketAddress remoteAddress, String remoteName) {
    connections.increment();
    return CONNECTION;
  }

  @Override
  public void disconnected(Object socket, SocketAddress remoteAddress) {
    connections.decrement();
  }

  @Override
  public void bytesRead(Object socket, SocketAddress remoteAddress, long numberOfBytes) {
    bytesRead.add(numberOfBytes);
  }

  @Override
  public void bytesWritten(Object socket, SocketAddress remoteAddress, long numberOfBytes) {
    bytesWritten.add(numberOfBytes);
  }

  @Override
  public void exceptionOccurred(Object socket, SocketAddress remoteAddress, Throwable t) {
    errorsByClass
        .computeIfAbsent(t.getClass().getSimpleName(), name -> new LongAdder())
        .increment();
  }

  @Override
  public RequestTiming requestBegin(Object socket, HttpRequest request) {
    return begin(request.method());
  }

  @Override
  public RequestTiming responsePushed(
      Object socket, HttpMethod method, String uri, HttpResponse response) {
    return begin(method);
  }

  private RequestTiming begin(HttpMethod httpMethod) {
    String method = KNOWN_METHODS.contains(httpMethod.name()) ? httpMethod.name() : OTHER_METHOD;
    MethodTally tally = byMethod.computeIfAbsent(method, MethodTally::new);
    tally.active.increment();
    return new RequestTiming(tally);
  }

  @Override
  public void requestRouted(RequestTiming timing, String route) {
    if (route == null) {
      // A route without a path (one that runs for every request before the others) names none.
      return;
    }
    // Nested routers report each level: joined like Vert.x's own metrics do.
    timing.route = timing.route.isEmpty() ? route : timing.route + ">" + route;
  }

  @Override
  public void requestEnd(RequestTiming timing, HttpRequest request, long bytesRead) {
    timing.methodTally.read.increment();
    timing.methodTally.readBytes.add(bytesRead);
    if (timing.endRequest()) {
      timing.methodTally.active.decrement();
    }
  }

  @Override
  public void requestReset(RequestTiming timing) {
    resetsByRoute.computeIfAbsent(timing.route, route -> new LongAdder()).increment();
    // Still active unless both directions had ended (or it was reset already).
    if (!timing.reset && !(timing.requestEnded && timing.responseEnded)) {
      timing.methodTally.active.decrement();
    }
    timing.reset = true;
  }

  @Override
  public void responseEnd(RequestTiming timing, HttpResponse response, long bytesWritten) {
    ResponseTally tally =
        byResponse.computeIfAbsent(
            new ResponseKey(timing.methodTally.method, response.statusCode(), timing.route),
            key -> new ResponseTally());
    tally.count.increment();
    tally.nanos.add(System.nanoTime() - timing.startNanos);
    tally.bytes.add(bytesWritten);
    if (timing.endResponse()) {
      timing.methodTally.active.decrement();
    }
  }

  @Override
  public Object connected(Object socket, RequestTiming timing, ServerWebSocket webSocket) {
    webSockets.increment();
    return CONNECTION;
  }

  @Override
  public void disconnected(Object webSocket) {
    webSockets.decrement();
  }

  @Override
  public List<String> getPrometheusNames() {
    return List.of(
        PREFIX + "active_connections",
        PREFIX + "active_ws_connections",
        PREFIX + "bytes_read",
        PREFIX + "bytes_written",
        PREFIX + "errors",
        PREFIX + "active_requests",
        PREFIX + "request_bytes",
        PREFIX + "requests",
        PREFIX + "response_time_seconds",
        PREFIX + "response_bytes",
        PREFIX + "request_resets");
  }

  @Override
  public MetricSnapshots collect() {
    MetricSnapshots.Builder all = MetricSnapshots.builder();
    all.metricSnapshot(
        gauge("active_connections", "Number of opened connections to the HTTP Server")
            .dataPoint(gaugePoint(connections.sum(), Labels.EMPTY))
            .build());
    all.metricSnapshot(
        gauge("active_ws_connections", "Number of websockets currently opened")
            .dataPoint(gaugePoint(webSockets.sum(), Labels.EMPTY))
            .build());
    all.metricSnapshot(
        counter("bytes_read", "Number of bytes received by the HTTP Server")
            .dataPoint(counterPoint(bytesRead.sum(), Labels.EMPTY))
            .build());
    all.metricSnapshot(
        counter("bytes_written", "Number of bytes sent by the HTTP Server")
            .dataPoint(counterPoint(bytesWritten.sum(), Labels.EMPTY))
            .build());
    if (!errorsByClass.isEmpty()) {
      CounterSnapshot.Builder errors = counter("errors", "Number of errors");
      errorsByClass.forEach(
          (type, count) -> errors.dataPoint(counterPoint(count.sum(), Labels.of("class", type))));
      all.metricSnapshot(errors.build());
    }
    GaugeSnapshot.Builder active = gauge("active_requests", "Number of requests being processed");
    SummarySnapshot.Builder requestBytes =
        SummarySnapshot.builder().name(PREFIX + "request_bytes").help("Size of requests in bytes");
    byMethod.forEach(
        (method, tally) -> {
          Labels labels = Labels.of("method", method);
          active.dataPoint(gaugePoint(tally.active.sum(), labels));
          requestBytes.dataPoint(summaryPoint(tally.read.sum(), tally.readBytes.sum(), labels));
        });
    all.metricSnapshot(active.build());
    all.metricSnapshot(requestBytes.build());
    CounterSnapshot.Builder requests = counter("requests", "Number of processed requests");
    SummarySnapshot.Builder responseTime =
        SummarySnapshot.builder()
            .name(PREFIX + "response_time_seconds")
            .help("Request processing time");
    SummarySnapshot.Builder responseBytes =
        SummarySnapshot.builder()
            .name(PREFIX + "response_bytes")
            .help("Size of responses in bytes");
    byResponse.forEach(
        (key, tally) -> {
          Labels labels =
              Labels.of(
                  "code", String.valueOf(key.code()), "method", key.method(), "route", key.route());
          long count = tally.count.sum();
          requests.dataPoint(counterPoint(count, labels));
          responseTime.dataPoint(summaryPoint(count, tally.nanos.sum() / 1e9, labels));
          responseBytes.dataPoint(summaryPoint(count, tally.bytes.sum(), labels));
        });
    all.metricSnapshot(requests.build());
    all.metricSnapshot(responseTime.build());
    all.metricSnapshot(responseBytes.build());
    if (!resetsByRoute.isEmpty()) {
      CounterSnapshot.Builder resets = counter("request_resets", "Number of request resets");
      resetsByRoute.forEach(
          (route, count) -> resets.dataPoint(counterPoint(count.sum(), Labels.of("route", route))));
      all.metricSnapshot(resets.build());
    }
    return all.build();
  }

  private static GaugeSnapshot.Builder gauge(String name, String help) {
    return GaugeSnapshot.builder().name(PREFIX + name).help(help);
  }

  private static CounterSnapshot.Builder counter(String name, String help) {
    return CounterSnapshot.builder().name(PREFIX + name).help(help);
  }

  private static GaugeDataPointSnapshot gaugePoint(double value, Labels labels) {
    return GaugeDataPointSnapshot.builder().value(value).labels(labels).build();
  }

  private static CounterDataPointSnapshot counterPoint(double value, Labels labels) {
    return CounterDataPointSnapshot.builder().value(value).labels(labels).build();
  }

  private static SummaryDataPointSnapshot summaryPoint(long count, double sum, Labels labels) {
    return SummaryDataPointSnapshot.builder().count(count).sum(sum).labels(labels).build();
  }
}
