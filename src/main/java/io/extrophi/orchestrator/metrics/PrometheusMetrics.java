package io.extrophi.orchestrator.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.lang.management.ManagementFactory;

/**
 * The registry behind {@code GET /metrics}: the orchestrator's own meters, the JVM's (memory, GC,
 * threads, classes, CPU, open files, uptime) and, when Vert.x was built with {@link
 * #withVertxMetrics}, Vert.x's HTTP server metrics.
 */
public final class PrometheusMetrics implements AutoCloseable {

  private static final String MICROMETER_PROCESS_CPU_TIME = "process.cpu.time";
  private static final String MICROMETER_CPU_COUNT = "system.cpu.count";
  private static final String PROCESS_CPU_SECONDS = "process.cpu";
  private static final String AVAILABLE_PROCESSORS = "system.cpu.available.processors";

  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gc;

  private PrometheusMetrics(PrometheusMeterRegistry registry, JvmGcMetrics gc) {
    this.registry = registry;
    this.gc = gc;
  }

  /** A new registry with the JVM's meters bound. */
  public static PrometheusMetrics create() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    keepNamesLintClean(registry);
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

  /**
   * Two of Micrometer's JVM meters have names that {@code promtool check metrics} rejects: {@code
   * process_cpu_time_ns_total} (an abbreviated unit) gives way to the standard {@code
   * process_cpu_seconds_total} of Prometheus's own clients, and {@code system_cpu_count} (a {@code
   * _count} suffix belongs to histograms and summaries) becomes {@code
   * system_cpu_available_processors}. Filters apply to meters bound later, so this comes first.
   */
  private static void keepNamesLintClean(MeterRegistry registry) {
    registry
        .config()
        .meterFilter(MeterFilter.deny(id -> id.getName().equals(MICROMETER_PROCESS_CPU_TIME)))
        .meterFilter(
            new MeterFilter() {
              @Override
              public Meter.Id map(Meter.Id id) {
                return id.getName().equals(MICROMETER_CPU_COUNT)
                    ? id.withName(AVAILABLE_PROCESSORS)
                    : id;
              }
            });
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean system) {
      FunctionCounter.builder(
              PROCESS_CPU_SECONDS, system, bean -> Math.max(0, bean.getProcessCpuTime()) / 1e9)
          .description("Total user and system CPU time spent in seconds")
          .baseUnit("seconds")
          .register(registry);
    }
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /**
   * Vert.x built with its metrics on this registry: HTTP server requests by method, route and
   * status code (the route, not the path, so that the series stay bounded), connections and bytes,
   * from {@link HttpServerMeters}; the messages between the nodes of a cluster from {@link
   * ClusterTrafficMeters}. Every other category of {@code vertx-micrometer-metrics}, which stays
   * underneath (see {@link LeanVertxMetrics}), is off: the HTTP client, event bus, raw TCP and pool
   * metrics would cost more than they tell at a probe rate of thousands per second (the probes have
   * their own series); take a category out of the disabled set below to turn it on.
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
