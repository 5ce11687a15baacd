package io.extrophi.orchestrator.metrics;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;

/**
 * The registry behind {@code GET /metrics}: the orchestrator's own meters, the JVM's (memory, GC,
 * threads, classes, CPU, open files, uptime) and, when Vert.x was built with {@link
 * #withVertxMetrics}, Vert.x's HTTP server metrics.
 */
public final class PrometheusMetrics implements AutoCloseable {

  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gc;

  private PrometheusMetrics(PrometheusMeterRegistry registry, JvmGcMetrics gc) {
    this.registry = registry;
    this.gc = gc;
  }

  /** A new registry with the JVM's meters bound. */
  public static PrometheusMetrics create() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    return new PrometheusMetrics(registry, gc);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /**
   * Vert.x built with its metrics on this registry: HTTP server requests by method, route and
   * status code (the route, not the path, so that the series stay bounded), connections and bytes,
   * from {@link HttpServerMeters}. Every other category of {@code vertx-micrometer-metrics}, which
   * stays underneath (see {@link LeanVertxMetrics}), is off: the HTTP client, event bus, raw TCP
   * and pool metrics would cost more than they tell at a probe rate of thousands per second (the
   * probes have their own series); take a category out of the disabled set below to turn it on.
   */
  public VertxBuilder withVertxMetrics(VertxOptions options) {
    MicrometerMetricsOptions metrics =
        new MicrometerMetricsOptions()
            .setEnabled(true)
            .setJvmMetricsEnabled(false) // bound by create(), whether Vert.x has metrics or not
            // Served by HttpServerMeters instead (see LeanVertxMetrics).
            .addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER)
            .addDisabledMetricsCategory(MetricsDomain.HTTP_CLIENT)
            .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS)
            .addDisabledMetricsCategory(MetricsDomain.NET_SERVER)
            .addDisabledMetricsCategory(MetricsDomain.NET_CLIENT)
            .addDisabledMetricsCategory(MetricsDomain.DATAGRAM_SOCKET)
            .addDisabledMetricsCategory(MetricsDomain.VERTICLES)
            // Pools include one per probed host and port, re-created (and re-registered, with a
            // warning) whenever a service's connections have all closed.
            .addDisabledMetricsCategory(MetricsDomain.NAMED_POOLS);
    return Vertx.builder()
        .with(options.setMetricsOptions(metrics))
        .withMetrics(LeanVertxMetrics.factory(registry));
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
