package io.extrophi.orchestrator.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.ClientMetrics;
import io.vertx.core.spi.metrics.DatagramSocketMetrics;
import io.vertx.core.spi.metrics.EventBusMetrics;
import io.vertx.core.spi.metrics.HttpClientMetrics;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.PoolMetrics;
import io.vertx.core.spi.metrics.TCPMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.micrometer.MicrometerMetricsFactory;

/**
 * Vert.x's metrics from {@code vertx-micrometer-metrics}, except the HTTP server's, which come from
 * {@link HttpServerMeters} (same series, a fraction of the cost per request).
 */
final class LeanVertxMetrics implements VertxMetrics {

  private final VertxMetrics micrometer;
  private final HttpServerMeters httpServer;
  private final PrometheusMeterRegistry registry;

  private LeanVertxMetrics(
      VertxMetrics micrometer, HttpServerMeters httpServer, PrometheusMeterRegistry registry) {
    this.micrometer = micrometer;
    this.httpServer = httpServer;
    this.registry = registry;
  }

  /**
   * The factory to build Vert.x with: Micrometer's metrics on {@code registry}, and the lean HTTP
   * server metrics registered in the Prometheus registry behind it.
   */
  static VertxMetricsFactory factory(PrometheusMeterRegistry registry) {
    MicrometerMetricsFactory micrometer = new MicrometerMetricsFactory(registry);
    return new VertxMetricsFactory() {
      @Override
      public VertxMetrics metrics(VertxOptions options) {
        HttpServerMeters httpServer = new HttpServerMeters();
        registry.getPrometheusRegistry().register(httpServer);
        return new LeanVertxMetrics(micrometer.metrics(options), httpServer, registry);
      }

      @Override
      public MetricsOptions newOptions() {
        return micrometer.newOptions();
      }

      @Override
      public MetricsOptions newOptions(MetricsOptions options) {
        return micrometer.newOptions(options);
      }

      @Override
      public MetricsOptions newOptions(JsonObject json) {
        return micrometer.newOptions(json);
      }
    };
  }

  @Override
  public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(
      HttpServerOptions options, SocketAddress localAddress) {
    return httpServer;
  }

  /** Only what crosses between the nodes of a cluster: see {@link ClusterTrafficMeters}. */
  @Override
  public EventBusMetrics createEventBusMetrics() {
    return new ClusterTrafficMeters(registry);
  }

  @Override
  public ClientMetrics<?, ?, ?> createClientMetrics(
      SocketAddress remoteAddress, String type, String namespace) {
    return micrometer.createClientMetrics(remoteAddress, type, namespace);
  }

  @Override
  public HttpClientMetrics<?, ?, ?> createHttpClientMetrics(HttpClientOptions options) {
    return micrometer.createHttpClientMetrics(options);
  }

  @Override
  public TCPMetrics<?> createNetServerMetrics(
      NetServerOptions options, SocketAddress localAddress) {
    return micrometer.createNetServerMetrics(options, localAddress);
  }

  @Override
  public TCPMetrics<?> createNetClientMetrics(NetClientOptions options) {
    return micrometer.createNetClientMetrics(options);
  }

  @Override
  public DatagramSocketMetrics createDatagramSocketMetrics(DatagramSocketOptions options) {
    return micrometer.createDatagramSocketMetrics(options);
  }

  @Override
  public PoolMetrics<?, ?> createPoolMetrics(String poolType, String poolName, int maxPoolSize) {
    return micrometer.createPoolMetrics(poolType, poolName, maxPoolSize);
  }

  @Override
  public void vertxCreated(Vertx vertx) {
    micrometer.vertxCreated(vertx);
  }

  @Override
  public boolean isMetricsEnabled() {
    return true;
  }

  @Override
  public void close() {
    // A Vert.x instance built later on the same registry registers its own.
    registry.getPrometheusRegistry().unregister(httpServer);
    micrometer.close();
  }
}
