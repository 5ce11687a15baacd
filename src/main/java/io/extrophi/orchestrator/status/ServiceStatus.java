package io.extrophi.orchestrator.status;

import io.extrophi.orchestrator.bus.CircuitState;
import io.extrophi.orchestrator.bus.HealthState;
import io.extrophi.orchestrator.bus.ProbeResult;
import io.extrophi.orchestrator.state.CorruptStateException;
import io.extrophi.orchestrator.stats.Availability;
import io.extrophi.orchestrator.stats.AvailabilityBuckets;
import io.extrophi.orchestrator.stats.BufferReader;
import io.extrophi.orchestrator.stats.LatencyWindow;
import io.extrophi.orchestrator.stats.Percentiles;
import io.extrophi.orchestrator.stats.ResultHistory;
import io.extrophi.orchestrator.view.StatusJson;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;

/**
 * The statistics and current state of one service, fed by probe results and circuit transitions.
 * Plain logic: no Vert.x, and time only as arguments. Its JSON is written by {@link StatusJson}.
 */
public final class ServiceStatus implements StatusJson.Service {

  private static final int MAX_NAME_BYTES = 1_024;
  private static final int MAX_RESULT_BYTES = 16_384;
  private static final int MAX_CHECK_IDENTITY_BYTES = 256;

  private final String name;
  private final LatencyWindow latency;
  private final AvailabilityBuckets availability;
  private final ResultHistory history;
  private ProbeResult lastResult;
  private CircuitState circuitState = CircuitState.CLOSED;
  private Instant openedAt;
  private Duration interval = Duration.ofSeconds(30);
  private int consecutiveFailures;
  private long totalChecks;
  private long successfulChecks;
  // The fingerprint of the check the circuit state belongs to (ServiceDefinition#checkIdentity);
  // null when unknown (a state saved before it was kept).
  private String checkIdentity;
  // The JSON of this service, encoded once per change (see encodedJson); null after a change.
  private byte[] encodedJson;

  // The failing service that takes this one down, or null; kept by the board (StatusBoard).
  private String rootCause;
  private long encodedAtMillis;
  private byte[] encodedName;

  /**
   * @param historySize results kept for {@code GET /health/history/{name}}
   */
  public ServiceStatus(String name, int historySize) {
    this(
        name, new LatencyWindow(), new AvailabilityBuckets(), new ResultHistory(name, historySize));
  }

  ServiceStatus(
      String name, LatencyWindow latency, AvailabilityBuckets availability, ResultHistory history) {
    this.name = name;
    this.latency = latency;
    this.availability = availability;
    this.history = history;
  }

  @Override
  public String name() {
    return name;
  }

  /** The service's check interval: how many checks an open circuit skips, for availability. */
  public void useInterval(Duration checkInterval) {
    interval = checkInterval;
  }

  /**
   * The fingerprint of the check that produced the circuit state ({@link
   * io.extrophi.orchestrator.config.ServiceDefinition#checkIdentity}), or {@code null} when not
   * known (a state file written before it was kept).
   */
  public String checkIdentity() {
    return checkIdentity;
  }

  /** Notes which check the circuit state now belongs to: the one whose events it applies. */
  public void followCheck(String identity) {
    checkIdentity = identity;
  }

  /** Counts a probe that was really sent. */
  public void apply(ProbeResult result) {
    lastResult = result;
    totalChecks++;
    long at = result.checkedAt().toEpochMilli();
    if (result.healthy()) {
      successfulChecks++;
      consecutiveFailures = 0;
    } else {
      consecutiveFailures++;
    }
    if (result.responseTimeMs() != null) {
      latency.record(result.responseTimeMs(), at);
    }
    availability.recordCheck(result.healthy(), at);
    history.add(result);
    encodedJson = null;
  }

  /**
   * Follows the circuit. Time with the circuit open counts as down in the availability windows:
   * when it leaves the open state, every check the open period skipped is counted as down.
   */
  public void applyCircuit(CircuitState state, Instant at) {
    if (circuitState == CircuitState.OPEN && state != CircuitState.OPEN && openedAt != null) {
      recordOpenPeriod(openedAt, at);
    }
    openedAt = state == CircuitState.OPEN ? at : null;
    circuitState = state;
    encodedJson = null;
  }

  /** Follows the root cause the board worked out for this service from the whole fleet's health. */
  void followRootCause(String cause) {
    if (!java.util.Objects.equals(rootCause, cause)) {
      rootCause = cause;
      encodedJson = null;
    }
  }

  @Override
  public String rootCause() {
    return rootCause;
  }

  @Override
  public HealthState health() {
    if (circuitState == CircuitState.OPEN) {
      return HealthState.CIRCUIT_OPEN;
    }
    if (lastResult == null) {
      return HealthState.UNKNOWN;
    }
    return lastResult.healthy() ? HealthState.HEALTHY : HealthState.UNHEALTHY;
  }

  @Override
  public CircuitState circuitState() {
    return circuitState;
  }

  @Override
  public int consecutiveFailures() {
    return consecutiveFailures;
  }

  @Override
  public long totalChecks() {
    return totalChecks;
  }

  @Override
  public long successfulChecks() {
    return successfulChecks;
  }

  public ResultHistory history() {
    return history;
  }

  /**
   * Writes everything this status knows, for the state file; see {@link #readFrom}. The check's
   * fingerprint comes last, so that a state without it (format 1) is the same bytes up to there.
   */
  public void writeTo(Buffer out) {
    BufferReader.writeString(out, name);
    out.appendLong(totalChecks).appendLong(successfulChecks).appendInt(consecutiveFailures);
    out.appendInt(circuitState.ordinal());
    BufferReader.writeString(out, lastResult == null ? null : lastResult.toJson().encode());
    latency.writeTo(out);
    availability.writeTo(out);
    history.writeTo(out);
    BufferReader.writeString(out, checkIdentity);
  }

  /**
   * Reads what {@link #writeTo} wrote. An open circuit counts as open from {@code restartedAt}:
   * what happened while the orchestrator was down was not observed.
   *
   * @param withCheckIdentity whether the status ends with its check's fingerprint (state format 2
   *     and later)
   * @throws CorruptStateException when the content is not a valid status
   */
  public static ServiceStatus readFrom(
      BufferReader in, int historySize, Instant restartedAt, boolean withCheckIdentity) {
    String name = in.readString(MAX_NAME_BYTES);
    if (name == null) {
      throw new CorruptStateException("a saved service has no name");
    }
    long total = in.readLong();
    long successful = in.readLong();
    int failures = in.readInt("consecutive failures", 0, Integer.MAX_VALUE);
    int circuit = in.readInt("circuit state", 0, CircuitState.values().length - 1);
    String last = in.readString(MAX_RESULT_BYTES);
    if (total < 0 || successful < 0 || successful > total) {
      throw new CorruptStateException("impossible check counts for " + name);
    }
    ServiceStatus status =
        new ServiceStatus(
            name,
            LatencyWindow.readFrom(in),
            AvailabilityBuckets.readFrom(in),
            ResultHistory.readFrom(in, historySize));
    status.checkIdentity = withCheckIdentity ? in.readString(MAX_CHECK_IDENTITY_BYTES) : null;
    status.totalChecks = total;
    status.successfulChecks = successful;
    status.consecutiveFailures = failures;
    status.circuitState = CircuitState.values()[circuit];
    status.openedAt = status.circuitState == CircuitState.OPEN ? restartedAt : null;
    try {
      status.lastResult = last == null ? null : ProbeResult.fromJson(new JsonObject(last));
    } catch (RuntimeException malformed) {
      throw new CorruptStateException("unreadable last result of " + name, malformed);
    }
    return status;
  }

  /** Successful checks as a percentage of all checks, two decimals; 0.0 before the first. */
  @Override
  public double uptimePercentage() {
    if (totalChecks == 0) {
      return 0.0;
    }
    return BigDecimal.valueOf(successfulChecks * 100.0 / totalChecks)
        .setScale(2, RoundingMode.HALF_UP)
        .doubleValue();
  }

  @Override
  public ProbeResult lastResult() {
    return lastResult;
  }

  @Override
  public Percentiles latency(long nowMillis) {
    return latency.percentiles(nowMillis);
  }

  @Override
  public byte[] encodedJson(long nowMillis) {
    return encodedJson(nowMillis, StatusJson.MAX_AGE_MS);
  }

  /**
   * The bytes of {@link StatusJson#service}, encoded again only after the service changed or after
   * {@code maxAgeMillis}, since the time windows move even when nothing happens. Only the bytes are
   * kept between two changes, not the object tree, which takes several times the memory.
   */
  byte[] encodedJson(long nowMillis, long maxAgeMillis) {
    if (encodedJson == null
        || nowMillis < encodedAtMillis
        || nowMillis - encodedAtMillis > maxAgeMillis) {
      encodedJson = StatusJson.encodeService(this, nowMillis);
      encodedAtMillis = nowMillis;
    }
    return encodedJson;
  }

  @Override
  public byte[] encodedName() {
    if (encodedName == null) {
      encodedName = StatusJson.encodeName(name);
    }
    return encodedName;
  }

  /** The windows, counting a circuit that is open right now as down up to {@code nowMillis}. */
  @Override
  public Availability availability(long nowMillis) {
    if (circuitState != CircuitState.OPEN || openedAt == null) {
      return availability.availability(nowMillis);
    }
    AvailabilityBuckets withOpenPeriod = availability.copy();
    long skipped = skippedChecks(openedAt.toEpochMilli(), nowMillis);
    if (skipped > 0) {
      withOpenPeriod.recordDown(skipped, openedAt.toEpochMilli(), nowMillis);
    }
    return withOpenPeriod.availability(nowMillis);
  }

  private void recordOpenPeriod(Instant from, Instant to) {
    long skipped = skippedChecks(from.toEpochMilli(), to.toEpochMilli());
    if (skipped > 0) {
      availability.recordDown(skipped, from.toEpochMilli(), to.toEpochMilli());
    }
  }

  private long skippedChecks(long fromMillis, long toMillis) {
    return Math.max(0, (toMillis - fromMillis) / Math.max(1, interval.toMillis()));
  }
}
