package io.extrophi.orchestrator.probe;

import static io.extrophi.orchestrator.testing.Checked.thenComplete;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.extrophi.orchestrator.testing.Eventually;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The schedule runs on real Vert.x timers, but reads the time from a clock the test sets, so which
 * slots are due when the timer fires is decided by the test, not by the machine's speed.
 */
@ExtendWith(VertxExtension.class)
@IntegrationTest
class ProbeScheduleTest {

  private static final long INTERVAL = 1_000;

  private record Fired(String service, long due, long clockAtFiring) {}

  private static final String WITNESS = "witness";

  private final AtomicLong clock = new AtomicLong(100_000);
  private final List<Fired> fired = new CopyOnWriteArrayList<>();

  private Vertx vertx;
  private Context context;
  private ProbeSchedule schedule;

  @BeforeEach
  void createTheSchedule(Vertx vertx) {
    this.vertx = vertx;
    context = vertx.getOrCreateContext();
    schedule = new ProbeSchedule(vertx, clock::get);
  }

  @AfterEach
  void closeTheSchedule(VertxTestContext test) {
    context.runOnContext(
        done -> {
          schedule.close();
          test.completeNow();
        });
  }

  private ProbeSchedule.Entry add(String service, long firstDue) {
    return schedule.add(firstDue, INTERVAL, due -> fired.add(new Fired(service, due, clock.get())));
  }

  /**
   * Runs {@code steps} on the schedule's event loop (it is not thread-safe), then completes once
   * {@code count} slots have fired.
   */
  private Future<Void> thenFired(int count, Runnable steps) {
    context.runOnContext(run -> steps.run());
    return Eventually.until(vertx, () -> fired.size() >= count, 10_000);
  }

  /**
   * Completes when a witness slot, due now, has run: the schedule has made another pass at the
   * current time, in which every slot due by then would have run first.
   */
  private Future<Void> witnessNextPass() {
    Promise<Void> passed = Promise.promise();
    context.runOnContext(
        start ->
            schedule.add(
                clock.get(),
                INTERVAL,
                due -> {
                  fired.add(new Fired(WITNESS, due, clock.get()));
                  passed.tryComplete();
                }));
    return passed.future();
  }

  /**
   * After {@link #thenFired}, the slots fired besides the witness once the schedule has made
   * another pass.
   */
  private Future<List<Fired>> firedByTheNextPass(int count, Runnable steps) {
    return thenFired(count, steps)
        .compose(ignored -> witnessNextPass())
        .map(passed -> fired.stream().filter(slot -> !slot.service().equals(WITNESS)).toList());
  }

  @Test
  void slotsDueCloseTogetherGoOutInOnePassWithTheTimeTheyStoodFor(VertxTestContext test) {
    thenFired(
            2,
            () -> {
              add("a", 100_005);
              add("b", 100_008);
              add("later", 100_500);
              // Both early slots are due by the time the timer (5 ms away) fires.
              clock.set(100_010);
            })
        .onComplete(
            thenComplete(
                test,
                done ->
                    assertThat(fired)
                        .containsExactly(
                            new Fired("a", 100_005, 100_010), new Fired("b", 100_008, 100_010))));
  }

  @Test
  void aServiceGetsASlotEveryInterval(VertxTestContext test) {
    thenFired(
            1,
            () -> {
              add("a", 100_001);
              clock.set(100_001);
            })
        // The next slot is one interval on; move the clock there and let the timer find it.
        .compose(first -> thenFired(2, () -> clock.set(101_001)))
        .onComplete(
            thenComplete(
                test,
                done -> {
                  assertThat(fired).extracting(Fired::due).containsExactly(100_001L, 101_001L);
                  assertThat(schedule.missedSlots()).isZero();
                }));
  }

  @Test
  void slotsOverrunByMoreThanAnIntervalAreMissedAndOnlyTheLatestRuns(VertxTestContext test) {
    firedByTheNextPass(
            1,
            () -> {
              add("a", 100_001);
              // As if the event loop had been blocked for three and a half intervals.
              clock.set(100_001 + 3 * INTERVAL + INTERVAL / 2);
            })
        .onComplete(
            thenComplete(
                test,
                firedSlots -> {
                  assertThat(firedSlots)
                      .extracting(Fired::due)
                      .containsExactly(100_001 + 3 * INTERVAL);
                  assertThat(schedule.missedSlots()).isEqualTo(3);
                }));
  }

  @Test
  void aCancelledEntryGetsNoMoreSlots(VertxTestContext test) {
    firedByTheNextPass(
            1,
            () -> {
              add("cancelled", 100_002).cancel();
              add("kept", 100_003);
              clock.set(100_010);
            })
        .onComplete(
            thenComplete(
                test,
                firedSlots -> {
                  assertThat(firedSlots).extracting(Fired::service).containsExactly("kept");
                  // The cancelled entry left the queue when its slot came up: "kept" and
                  // the witness are left.
                  assertThat(schedule.size()).isEqualTo(2);
                }));
  }

  @Test
  void closingStopsEverySlot(VertxTestContext test) {
    context.runOnContext(
        start -> {
          add("a", 100_002);
          schedule.close();
          clock.set(100_010);
        });
    // A schedule of its own, on the machine's clock, whose slot is due later than the closed one's
    // timer (2 ms, set first) would have fired: timers on one event loop fire in the order they
    // are due.
    ProbeSchedule witness = new ProbeSchedule(vertx, System::currentTimeMillis);
    Promise<Void> witnessed = Promise.promise();
    context.runOnContext(
        start ->
            witness.add(System.currentTimeMillis() + 5, INTERVAL, due -> witnessed.tryComplete()));
    witnessed
        .future()
        .onComplete(
            thenComplete(
                test,
                done -> {
                  assertThat(fired).isEmpty();
                  assertThat(schedule.size()).isZero();
                  witness.close();
                }));
  }

  @Test
  void rejectsAnIntervalThatIsNotPositive() {
    assertThatThrownBy(() -> schedule.add(1, 0, due -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("interval");
  }
}
