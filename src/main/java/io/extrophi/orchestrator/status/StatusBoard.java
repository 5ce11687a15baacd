package io.extrophi.orchestrator.status;

import io.extrophi.orchestrator.bus.BreakerTransition;
import io.extrophi.orchestrator.bus.HealthState;
import io.extrophi.orchestrator.bus.HealthTransition;
import io.extrophi.orchestrator.bus.ProbeResult;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.config.ServiceDefinition;
import io.extrophi.orchestrator.dependency.DependencyGraph;
import io.extrophi.orchestrator.dependency.RootCauses;
import io.extrophi.orchestrator.time.InTurns;
import io.extrophi.orchestrator.view.EncodedSnapshot;
import io.extrophi.orchestrator.view.FleetQuery;
import io.extrophi.orchestrator.view.StatusJson;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The status of the whole fleet in configured order, and which of it each document of the API shows
 * (written by {@link StatusJson}). Each service's JSON is rebuilt only after it changed (or after a
 * second, for the time windows), not once per query.
 */
public final class StatusBoard {

  private final int historySize;
  private Map<String, ServiceStatus> services = new LinkedHashMap<>();
  private Map<String, ServiceDefinition> definitions = new LinkedHashMap<>();
  // Each configured service's check fingerprint, computed once per configuration.
  private Map<String, String> checkIdentities = new LinkedHashMap<>();
  private DependencyGraph dependencies = DependencyGraph.NONE;
  // The configured names sorted, for pages in name order: sorted once per configuration, not once
  // per page (100,000 names take tens of milliseconds to sort).
  private List<String> namesInOrder = List.of();
  private final RemovedServices removed = new RemovedServices();
  private String configError;
  private boolean dirty;

  /**
   * @param historySize results kept per service
   */
  public StatusBoard(List<ServiceDefinition> fleet, int historySize) {
    this.historySize = historySize;
    applyFleet(fleet, Instant.EPOCH);
  }

  /**
   * Follows a new configuration: the services kept keep their statistics, removed ones are kept
   * aside ({@link RemovedServices}), added ones continue the statistics they had when they were
   * removed within {@link RemovedServices#RETENTION}, or start empty. The order becomes the
   * configured one.
   *
   * @param now when the configuration changed: when the removed services were removed
   */
  public void applyFleet(List<ServiceDefinition> fleet, Instant now) {
    Map<String, ServiceStatus> next = new LinkedHashMap<>();
    Map<String, ServiceDefinition> nextDefinitions = new LinkedHashMap<>();
    Map<String, String> nextIdentities = new LinkedHashMap<>();
    for (ServiceDefinition service : fleet) {
      String identity = service.checkIdentity();
      ServiceStatus status = services.get(service.name());
      if (status == null) {
        status =
            removed
                .takeBack(service.name(), now)
                .orElseGet(() -> new ServiceStatus(service.name(), historySize));
        status.followCheck(identity);
      }
      status.useInterval(service.interval());
      next.put(service.name(), status);
      nextDefinitions.put(service.name(), service);
      nextIdentities.put(service.name(), identity);
    }
    for (ServiceStatus status : services.values()) {
      if (!next.containsKey(status.name())) {
        removed.retain(status, now);
      }
    }
    services = next;
    List<String> names = new ArrayList<>(next.keySet());
    Collections.sort(names);
    namesInOrder = List.copyOf(names);
    definitions = nextDefinitions;
    checkIdentities = nextIdentities;
    dependencies = OrchestratorConfig.dependenciesOf(fleet);
    followRootCauses();
    dirty = true;
  }

  // A service's root cause moves with the health of others: worked out again after every change of
  // health, for the services that depend on any (only they can have another's root cause).
  private void followRootCauses() {
    RootCauses causes = rootCauses();
    for (ServiceStatus status : services.values()) {
      status.followRootCause(
          dependencies.dependenciesOf(status.name()).isEmpty()
              ? null
              : causes.otherThan(status.name()).orElse(null));
    }
  }

  private RootCauses rootCauses() {
    return new RootCauses(
        dependencies,
        name -> {
          ServiceStatus status = services.get(name);
          return status == null ? null : status.health();
        });
  }

  /**
   * Continues from saved statuses (a copy of another node's): every configured service found in
   * {@code saved} takes its saved statistics; saved services that are not configured are dropped. A
   * restored status keeps the fingerprint of the check its circuit was saved with (see {@link
   * ServiceStatus#checkIdentity}) until the first event of the configured check arrives, so the
   * probe side can tell whether that check changed since.
   */
  public void restore(Map<String, ServiceStatus> saved) {
    services.replaceAll((name, fresh) -> restored(name, saved.get(name), fresh));
    followRootCauses();
    dirty = true;
  }

  /**
   * Continues from the state file: every configured service takes its saved statistics, also one
   * that was removed before the restart (within {@link RemovedServices#RETENTION}); saved services
   * that are not configured now are kept aside as removed at {@code restartedAt}, so they too can
   * come back.
   */
  public void restore(StatusStateCodec.Saved saved, Instant restartedAt) {
    removed.retainSaved(saved.removed(), restartedAt);
    saved
        .services()
        .forEach(
            (name, status) -> {
              if (!services.containsKey(name)) {
                removed.retain(status, restartedAt);
              }
            });
    services.replaceAll(
        (name, fresh) -> {
          ServiceStatus configured = saved.services().get(name);
          return restored(
              name,
              configured != null ? configured : removed.takeBack(name, restartedAt).orElse(null),
              fresh);
        });
    followRootCauses();
    dirty = true;
  }

  private ServiceStatus restored(String name, ServiceStatus saved, ServiceStatus fresh) {
    if (saved == null) {
      return fresh;
    }
    saved.useInterval(definitions.get(name).interval());
    return saved;
  }

  /** The services removed and kept aside, for the state file. */
  public RemovedServices removedServices() {
    return removed;
  }

  /** Whether anything changed since the last {@link #markSaved()}. */
  public boolean isDirty() {
    return dirty;
  }

  public void markSaved() {
    dirty = false;
  }

  /** Undoes {@link #markSaved()} after the save failed. */
  public void markDirty() {
    dirty = true;
  }

  /** The reason the last reload was rejected, or {@code null} when the configuration is good. */
  public void setConfigError(String error) {
    configError = error;
  }

  /**
   * Applies a probe result; results for services this board does not know are ignored.
   *
   * @return the health change it caused, if any
   */
  public Optional<HealthTransition> apply(ProbeResult result) {
    ServiceStatus status = services.get(result.service());
    if (status == null) {
      return Optional.empty();
    }
    HealthState before = status.health();
    status.apply(result);
    status.followCheck(checkIdentities.get(result.service()));
    String reason =
        result.healthy()
            ? "check succeeded"
            : (result.errorMessage() == null ? "check failed" : result.errorMessage());
    return changed(status, before, reason, result.checkedAt());
  }

  /**
   * Applies a circuit transition.
   *
   * @return the health change it caused, if any
   */
  public Optional<HealthTransition> apply(BreakerTransition transition) {
    ServiceStatus status = services.get(transition.service());
    if (status == null) {
      return Optional.empty();
    }
    HealthState before = status.health();
    status.applyCircuit(transition.to(), transition.at());
    status.followCheck(checkIdentities.get(transition.service()));
    return changed(
        status,
        before,
        "circuit " + transition.to().jsonName() + " " + transition.reason(),
        transition.at());
  }

  public Optional<ServiceStatus> service(String name) {
    return Optional.ofNullable(services.get(name));
  }

  public Iterable<ServiceStatus> services() {
    return services.values();
  }

  public OverallHealth overallHealth() {
    return OverallHealth.of(services.values().stream().map(ServiceStatus::health).toList());
  }

  /** The body of {@code GET /health/status}, written by {@link StatusJson}. */
  public JsonObject snapshot(Instant now) {
    return snapshot(now, all());
  }

  /** The body of {@code GET /health/status?tag=…}: only services with that tag. */
  public JsonObject snapshotWithTag(Instant now, String tag) {
    return snapshot(now, withTag(tag));
  }

  /**
   * The body of {@code GET /health/status/{name}}: its status and its check, or empty for an
   * unknown service.
   */
  public Optional<JsonObject> serviceSnapshot(Instant now, String name) {
    ServiceStatus status = services.get(name);
    if (status == null) {
      return Optional.empty();
    }
    return Optional.of(StatusJson.serviceSnapshot(now, status, definitions.get(name)));
  }

  /**
   * The body of {@code GET /health/status} as {@link #snapshot} would encode it, built from each
   * service's encoded JSON, which is only encoded again after the service changed.
   */
  public EncodedSnapshot encodedSnapshot(long nowMillis) {
    return encode(nowMillis, all());
  }

  /**
   * {@link #encodedSnapshot} encoded {@code slice} services per turn of {@code context}, so that a
   * large fleet (seconds of encoding at 100,000 services) does not hold the event loop: what waits
   * for it runs between slices. A fleet of up to {@code slice} services is encoded at once, as one
   * moment; a larger one shows each service as it was when its slice was encoded, and the overall
   * health is that of the healths shown.
   */
  public Future<EncodedSnapshot> encodedSnapshotInTurns(
      Context context, long nowMillis, int slice) {
    return encodeInTurns(
        context, nowMillis, all(), slice, shown -> OverallHealth.of(shown).jsonName(), configError);
  }

  /**
   * {@link #encodedResults} encoded {@code slice} services per turn, as {@link
   * #encodedSnapshotInTurns}.
   */
  public Future<EncodedSnapshot> encodedResultsInTurns(Context context, long nowMillis, int slice) {
    return encodeInTurns(context, nowMillis, all(), slice, shown -> null, null);
  }

  /**
   * {@link #encodedSelection} encoded {@code slice} services per turn, as {@link
   * #encodedSnapshotInTurns}; a page (at most its limit of services) is encoded at once.
   */
  public Future<EncodedSnapshot> encodedSelectionInTurns(
      Context context, long nowMillis, FleetQuery query, int slice) {
    if (query.isAll()) {
      return encodedSnapshotInTurns(context, nowMillis, slice);
    }
    if (query.pages()) {
      return Future.succeededFuture(encodedSelection(nowMillis, query));
    }
    List<ServiceStatus> ofTag = ofTag(query);
    // The overall health is that of the tag's services, also those the filter leaves out.
    return encodeInTurns(
        context,
        nowMillis,
        withHealth(query, ofTag),
        slice,
        healths -> overallHealthOf(ofTag),
        configError);
  }

  private Future<EncodedSnapshot> encodeInTurns(
      Context context,
      long nowMillis,
      List<ServiceStatus> included,
      int slice,
      Function<List<HealthState>, String> overallHealth,
      String configError) {
    StatusJson.FleetEncoder encoder = new StatusJson.FleetEncoder(nowMillis);
    List<HealthState> shown = new ArrayList<>();
    return InTurns.forEach(
            context,
            included,
            slice,
            status -> {
              encoder.add(status);
              shown.add(status.health());
            },
            () -> false)
        .map(encoded -> encoder.finish(overallHealth.apply(shown), configError, null));
  }

  /** The body of {@code GET /health/status?tag=…}, as {@link #snapshotWithTag} would encode it. */
  public EncodedSnapshot encodedSnapshotWithTag(long nowMillis, String tag) {
    return encode(nowMillis, withTag(tag));
  }

  /**
   * The body of {@code GET /health/status} with the filters and the page of {@code query}. Its
   * {@code overall_health} is that of the services of the tag (of the whole fleet without one),
   * whatever the health filter and the page leave out of the answer.
   */
  public EncodedSnapshot encodedSelection(long nowMillis, FleetQuery query) {
    if (query.isAll()) {
      return encodedSnapshot(nowMillis);
    }
    List<ServiceStatus> ofTag = ofTag(query);
    String overallHealth = overallHealthOf(ofTag);
    if (!query.pages()) {
      return StatusJson.encodeFleet(
          nowMillis, withHealth(query, ofTag), overallHealth, configError);
    }
    List<ServiceStatus> page = new ArrayList<>();
    String nextCursor = null;
    int start = 0;
    if (query.after() != null) {
      int found = Collections.binarySearch(namesInOrder, query.after());
      start = found >= 0 ? found + 1 : -found - 1;
    }
    for (int i = start; i < namesInOrder.size(); i++) {
      ServiceStatus status = services.get(namesInOrder.get(i));
      if (!shows(query, status)) {
        continue;
      }
      if (page.size() == query.limit()) {
        nextCursor = FleetQuery.cursorAfter(page.get(page.size() - 1).name());
        break;
      }
      page.add(status);
    }
    return StatusJson.encodePage(nowMillis, page, overallHealth, configError, nextCursor);
  }

  /** The services of the query's tag, of the whole fleet without one. */
  private List<ServiceStatus> ofTag(FleetQuery query) {
    return query.tag() == null ? all() : withTag(query.tag());
  }

  /** Those of {@code services} whose health the query asks for (all without a health filter). */
  private static List<ServiceStatus> withHealth(FleetQuery query, List<ServiceStatus> services) {
    return query.health().isEmpty()
        ? services
        : services.stream().filter(status -> query.health().contains(status.health())).toList();
  }

  private boolean shows(FleetQuery query, ServiceStatus status) {
    return (query.tag() == null || definitions.get(status.name()).hasTag(query.tag()))
        && (query.health().isEmpty() || query.health().contains(status.health()));
  }

  /**
   * The body of {@code POST /health/trigger}: the timestamp and every service, as {@link
   * #encodedSnapshot} without the overall health.
   */
  public EncodedSnapshot encodedResults(long nowMillis) {
    return StatusJson.encodeFleet(nowMillis, all(), null, null);
  }

  private EncodedSnapshot encode(long nowMillis, List<ServiceStatus> included) {
    return StatusJson.encodeFleet(nowMillis, included, overallHealthOf(included), configError);
  }

  private JsonObject snapshot(Instant now, List<ServiceStatus> included) {
    return StatusJson.snapshot(now, included, overallHealthOf(included), configError);
  }

  private List<ServiceStatus> all() {
    return List.copyOf(services.values());
  }

  private List<ServiceStatus> withTag(String tag) {
    return services.values().stream()
        .filter(status -> definitions.get(status.name()).hasTag(tag))
        .toList();
  }

  private static String overallHealthOf(List<ServiceStatus> included) {
    return OverallHealth.of(included.stream().map(ServiceStatus::health).toList()).jsonName();
  }

  private Optional<HealthTransition> changed(
      ServiceStatus status, HealthState before, String reason, Instant at) {
    dirty = true;
    HealthState after = status.health();
    if (before == after) {
      return Optional.empty();
    }
    followRootCauses();
    return Optional.of(
        new HealthTransition(status.name(), before, after, reason, at, status.rootCause()));
  }
}
