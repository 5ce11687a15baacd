package io.extrophi.orchestrator.probe;

import static io.extrophi.orchestrator.testing.Checked.thenComplete;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.extrophi.orchestrator.api.HealthChecker;
import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.testing.Eventually;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.TargetServer;
import io.extrophi.orchestrator.testing.TestConfigs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/** The probe path is warmed up before the first real probe, and the warm-up leaves no trace. */
@ExtendWith(VertxExtension.class)
@IntegrationTest
class ProbeWarmUpTest {

  private final Logger probeLogger =
      (Logger) LoggerFactory.getLogger(ProbeVerticle.class.getPackageName());
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private Level levelBefore;

  @BeforeEach
  void recordTheProbeLog() {
    levelBefore = probeLogger.getLevel();
    // DEBUG: every probe result is logged, in the order the results come in.
    probeLogger.setLevel(Level.DEBUG);
    logged.start();
    probeLogger.addAppender(logged);
  }

  @AfterEach
  void stopRecording() {
    probeLogger.detachAppender(logged);
    probeLogger.setLevel(levelBefore);
  }

  @Test
  void theWarmUpEndsBeforeTheFirstProbeAndNothingOfItIsRecorded(
      Vertx vertx, VertxTestContext test) {
    AtomicReference<TargetServer> target = new AtomicReference<>();
    List<JsonObject> published = new CopyOnWriteArrayList<>();
    vertx
        .eventBus()
        .<Object>consumer(EventBusAddresses.PROBE_RESULTS, m -> published.add(json(m.body())));
    vertx
        .eventBus()
        .<JsonObject>consumer(EventBusAddresses.HEALTH_TRANSITIONS, m -> published.add(m.body()));
    TargetServer.start(vertx)
        .compose(
            started -> {
              target.set(started);
              HealthChecker checker =
                  new HealthChecker(
                      vertx,
                      TestConfigs.firstRoundOnly(List.of(started.url()), Duration.ofSeconds(5)));
              return checker.start().compose(running -> countedOnce(vertx, checker));
            })
        .onComplete(
            thenComplete(
                test,
                status -> {
                  List<String> lines = lines();
                  int warmedUp = indexOf(lines, "probe path warmed up");
                  assertThat(warmedUp).as("the warm-up's line in %s", lines).isNotNegative();
                  assertThat(warmedUp).isLessThan(firstProbeOfS0());
                  // Every warm-up probe ran before the warm-up ended.
                  assertThat(lastIndexOf(lines, "probe warm-up-")).isLessThan(warmedUp);
                  // It probed (at least a round of three monitored services), and none of
                  // it went anywhere.
                  assertThat(lines.stream().filter(l -> l.startsWith("probe warm-up-")))
                      .hasSizeGreaterThanOrEqualTo(3);
                  JsonObject services = status.getJsonObject("services");
                  assertThat(services.fieldNames()).containsExactly("s0");
                  assertThat(services.getJsonObject("s0").getLong("total_checks")).isEqualTo(1);
                  assertThat(target.get().requests()).isEqualTo(1);
                  assertThat(published)
                      .allSatisfy(event -> assertThat(event.getString("service")).isEqualTo("s0"));
                }));
  }

  /** The status once the first round's result is in it. */
  private static Future<JsonObject> countedOnce(Vertx vertx, HealthChecker checker) {
    return checker
        .status()
        .compose(
            status ->
                status.getJsonObject("services").getJsonObject("s0").getLong("total_checks") > 0
                    ? Future.succeededFuture(status)
                    : Eventually.after(vertx, 20).compose(waited -> countedOnce(vertx, checker)));
  }

  private static JsonObject json(Object body) {
    return body instanceof JsonObject object
        ? object
        : ((io.extrophi.orchestrator.bus.ProbeResult) body).toEventJson();
  }

  private int firstProbeOfS0() {
    return indexOf(lines(), "probe s0: ");
  }

  private List<String> lines() {
    List<ILoggingEvent> events;
    // The appender appends under its own lock.
    synchronized (logged) {
      events = new ArrayList<>(logged.list);
    }
    return events.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  private static int indexOf(List<String> lines, String prefix) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }

  private static int lastIndexOf(List<String> lines, String prefix) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }
}
