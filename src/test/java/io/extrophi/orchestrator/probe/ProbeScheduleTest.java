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

  private ProbeSchedule.Entry add(ProbeSchedule schedule, String service, long firstDue) {
    return schedule.add(firstDue, INTERVAL, due -> fired.add(new Fired(service, due, clock.get())));
  }

  /**
   * Completes when a witness slot, due now, has run: the schedule has made another pass at the
   * current time, in which every slot due by then would have run first.
   */
  private Future<Void> witnessNextPass(Context context, ProbeSchedule schedule) {
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

  private List<Fired> firedBesidesTheWitness() {
    return fired.stream().filter(slot -> !slot.service().equals(WITNESS)).toList();
  }

  @Test
  void slotsDueCloseTogetherGoOutInOnePassWithTheTimeTheyStoodFor(
      Vertx vertx, VertxTestContext test) {
    Context context = vertx.getOrCreateContext();
    ProbeSchedule schedule = new ProbeSchedule(vertx, clock::get);
    context.runOnContext(
        start -> {
          add(schedule, "a", 100_005);
          add(schedule, "b", 100_008);
          add(schedule, "later", 100_500);
          // Both early slots are due by the time the timer (5 ms away) fires.
          clock.set(100_010);
        });
    Eventually.until(vertx, () -> fired.size() >= 2, 10_000)
        .onComplete(
            thenComplete(
                test,
                done -> {
                  assertThat(fired)
                      .containsExactly(
                          new Fired("a", 100_005, 100_010), new Fired("b", 100_008, 100_010));
                  schedule.close();
                }));
  }

  @Test
  void aServiceGetsASlotEveryInterval(Vertx vertx, VertxTestContext test) {
    Context context = vertx.getOrCreateContext();
    ProbeSchedule schedule = new ProbeSchedule(vertx, clock::get);
    context.runOnContext(
        start -> {
          add(schedule, "a", 100_001);
          clock.set(100_001);
        });
    Eventually.until(vertx, () -> fired.size() == 1, 10_000)
        .compose(
            first -> {
              // The next slot is one interval on; move the clock there and let the timer find it.
              context.runOnContext(advance -> clock.set(101_001));
              return Eventually.until(vertx, () -> fired.size() == 2, 10_000);
            })
        .onComplete(
            thenComplete(
                test,
                done -> {
                  assertThat(fired).extracting(Fired::due).containsExactly(100_001L, 101_001L);
                  assertThat(schedule.missedSlots()).isZero();
                  schedule.close();
                }));
  }

  @Test
  void slotsOverrunByMoreThanAnIntervalAreMissedAndOnlyTheLatestRuns(
      Vertx vertx, VertxTestContext test) {
    Context context = vertx.getOrCreateContext();
    ProbeSchedule schedule = new ProbeSchedule(vertx, clock::get);
    context.runOnContext(
        start -> {
          add(schedule, "a", 100_001);
          // As if the event loop had been blocked for three and a half intervals.
          clock.set(100_001 + 3 * INTERVAL + INTERVAL / 2);
        });
    Eventually.until(vertx, () -> fired.size() == 1, 10_000)
        .compose(ignored -> witnessNextPass(context, schedule))
        .onComplete(
            thenComplete(
                test,
                done -> {
                  assertThat(firedBesidesTheWitness())
                      .extracting(Fired::due)
                      .containsExactly(100_001 + 3 * INTERVAL);
                  assertThat(schedule.missedSlots()).isEqualTo(3);
                  schedule.close();
                }));
  }

  @Test
  void aCancelledEntryGetsNoMoreSlots(Vertx vertx, VertxTestContext test) {
    Context context = vertx.getOrCreateContext();
    ProbeSchedule schedule = new ProbeSchedule(vertx, clock::get);
    context.runOnContext(
        start -> {
          add(schedule, "cancelled", 100_002).cancel();
          add(schedule, "kept", 100_003);
          clock.set(100_010);
        });
    Eventually.until(vertx, () -> fired.size() == 1, 10_000)
        .compose(ignored -> witnessNextPass(context, schedule))
        .onComplete(
            thenComplete(
                test,
                done -> {
                  assertThat(firedBesidesTheWitness())
                      .extracting(Fired::service)
                      .containsExactly("kept");
                  // The cancelled entry left the queue when its slot came up: "kept" and
                  // the witness are left.
                  assertThat(schedule.size()).isEqualTo(2);
                  schedule.close();
                }));
  }

  @Test
  void closingStopsEverySlot(Vertx vertx, VertxTestContext test) {
    Context context = vertx.getOrCreateContext();
    ProbeSchedule schedule = new ProbeSchedule(vertx, clock::get);
    context.runOnContext(
        start -> {
          add(schedule, "a", 100_002);
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
  void rejectsAnIntervalThatIsNotPositive(Vertx vertx) {
    ProbeSchedule schedule = new ProbeSchedule(vertx, clock::get);
    assertThatThrownBy(() -> schedule.add(1, 0, due -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("interval");
  }
}
