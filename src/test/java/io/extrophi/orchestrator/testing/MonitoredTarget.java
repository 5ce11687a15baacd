package io.extrophi.orchestrator.testing;

import io.extrophi.orchestrator.api.HealthChecker;
import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.bus.ProbeResult;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The monitoring without the HTTP API ({@link HealthChecker}) started in a test's Vert.x against a
 * {@link TargetServer}, with every probe result published from its start on: the fixture of the
 * probe and status tests.
 *
 * <pre>{@code
 * MonitoredTarget.start(vertx, target -> TestConfigs.every(Duration.ofMillis(100), target.url()))
 *     .compose(monitored -> monitored.until(() -> monitored.results().size() == 2))
 *     .compose(monitored -> monitored.checker().status())
 * }</pre>
 */
public final class MonitoredTarget {

  /** Bounds a condition that never holds; a passing test never waits this long. */
  private static final long DEADLINE_MS = 30_000;

  private final Vertx vertx;
  private final TargetServer target;
  private final HealthChecker checker;
  private final List<ProbeResult> results;

  private MonitoredTarget(
      Vertx vertx, TargetServer target, HealthChecker checker, List<ProbeResult> results) {
    this.vertx = vertx;
    this.target = target;
    this.checker = checker;
    this.results = results;
  }

  /** Starts a target, then a checker with the configuration {@code config} makes for it. */
  public static Future<MonitoredTarget> start(
      Vertx vertx, Function<TargetServer, OrchestratorConfig> config) {
    return TargetServer.start(vertx).compose(target -> start(vertx, target, config.apply(target)));
  }

  /** Starts a checker with {@code config}, which monitors {@code target} (and maybe more). */
  public static Future<MonitoredTarget> start(
      Vertx vertx, TargetServer target, OrchestratorConfig config) {
    List<ProbeResult> results =
        BusMessages.recorded(vertx, EventBusAddresses.PROBE_RESULTS, ProbeResult::fromJson);
    return checker(vertx, config)
        .map(checker -> new MonitoredTarget(vertx, target, checker, results));
  }

  /** A checker of {@code config}, started. */
  public static Future<HealthChecker> checker(Vertx vertx, OrchestratorConfig config) {
    HealthChecker checker = new HealthChecker(vertx, config);
    return checker.start().map(checker);
  }

  public TargetServer target() {
    return target;
  }

  public HealthChecker checker() {
    return checker;
  }

  /** The probe results published since the checker started, in the order published. */
  public List<ProbeResult> results() {
    return results;
  }

  /** The checker's status once {@code condition} holds. */
  public Future<JsonObject> statusWhen(BooleanSupplier condition) {
    return until(condition).compose(holds -> checker.status());
  }

  /** Completes with this fixture once {@code condition} holds. */
  public Future<MonitoredTarget> until(BooleanSupplier condition) {
    return Eventually.until(vertx, condition, DEADLINE_MS).map(this);
  }
}
