package io.extrophi.orchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.UnitTest;
import io.vertx.core.Completable;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.core.spi.cluster.RegistrationListener;
import io.vertx.core.spi.cluster.RegistrationUpdateEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

@UnitTest
class UnheardAddressesTest {

  private static final RegistrationInfo LISTENER = new RegistrationInfo("node-b", 1, false);

  /** Vert.x's node selector as the test sees it: the addresses it follows, the updates it got. */
  private final Set<String> followedByVertx = new java.util.HashSet<>();

  private final List<RegistrationUpdateEvent> toldVertx = new ArrayList<>();
  private boolean lostToldVertx;

  private final UnheardAddresses unheard =
      new UnheardAddresses(
          new RegistrationListener() {
            @Override
            public boolean wantsUpdatesFor(String address) {
              return followedByVertx.contains(address);
            }

            @Override
            public void registrationsUpdated(RegistrationUpdateEvent event) {
              toldVertx.add(event);
            }

            @Override
            public void registrationsLost() {
              lostToldVertx = true;
            }
          });

  /** The cluster's registrations as the reads find them; counts the reads. */
  private List<RegistrationInfo> inCluster = List.of();

  private int reads;
  private final BiConsumer<String, Completable<List<RegistrationInfo>>> read =
      (address, done) -> {
        reads++;
        done.succeed(inCluster);
      };

  @Test
  void anAddressNobodyListensToIsReadOnceThenAnsweredFromMemory() {
    assertThat(ask("orchestrator.probe.result")).isEmpty();
    assertThat(ask("orchestrator.probe.result")).isEmpty();
    assertThat(ask("orchestrator.probe.result")).isEmpty();
    assertThat(reads).isEqualTo(1);
    assertThat(unheard.wantsUpdatesFor("orchestrator.probe.result")).isTrue();
  }

  @Test
  void anAddressWithListenersIsLeftToVertxWhichFollowsIt() {
    inCluster = List.of(LISTENER);
    assertThat(ask("orchestrator.cluster.events")).containsExactly(LISTENER);
    assertThat(ask("orchestrator.cluster.events")).containsExactly(LISTENER);
    assertThat(reads).isEqualTo(2);
    assertThat(unheard.wantsUpdatesFor("orchestrator.cluster.events")).isFalse();
  }

  @Test
  void aListenerThatRegistersLaterIsFoundAtTheAnnouncementOfItsRegistration() {
    ask("orchestrator.probe.result");
    inCluster = List.of(LISTENER);
    unheard.registrationsUpdated(
        new RegistrationUpdateEvent("orchestrator.probe.result", List.of(LISTENER)));
    assertThat(ask("orchestrator.probe.result")).containsExactly(LISTENER);
    assertThat(reads).isEqualTo(2);
    assertThat(toldVertx).as("Vert.x did not follow the address").isEmpty();
  }

  @Test
  void aChangeAnnouncedWhileTheReadRunsIsNotOverwrittenByItsAnswer() {
    AtomicReference<Completable<List<RegistrationInfo>>> pending = new AtomicReference<>();
    List<List<RegistrationInfo>> answers = new ArrayList<>();
    unheard.registrations(
        "orchestrator.probe.result",
        (registrations, failure) -> answers.add(registrations),
        (address, done) -> pending.set(done));
    unheard.registrationsUpdated(
        new RegistrationUpdateEvent("orchestrator.probe.result", List.of(LISTENER)));
    pending.get().succeed(List.of());
    assertThat(answers).containsExactly(List.of());
    inCluster = List.of(LISTENER);
    assertThat(ask("orchestrator.probe.result")).containsExactly(LISTENER);
  }

  @Test
  void aFailedReadIsNotRemembered() {
    List<Throwable> failures = new ArrayList<>();
    unheard.registrations(
        "orchestrator.probe.result",
        (registrations, failure) -> failures.add(failure),
        (address, done) -> done.fail(new IllegalStateException("no cluster")));
    assertThat(failures).hasSize(1);
    assertThat(ask("orchestrator.probe.result")).isEmpty();
    assertThat(reads).isEqualTo(1);
  }

  @Test
  void updatesVertxFollowsStillReachIt() {
    followedByVertx.add("orchestrator.health.transition");
    RegistrationUpdateEvent event =
        new RegistrationUpdateEvent("orchestrator.health.transition", List.of(LISTENER));
    assertThat(unheard.wantsUpdatesFor("orchestrator.health.transition")).isTrue();
    unheard.registrationsUpdated(event);
    unheard.registrationsUpdated(new RegistrationUpdateEvent("not.followed", List.of()));
    assertThat(toldVertx).containsExactly(event);
  }

  @Test
  void lostRegistrationsForgetEveryAddress() {
    ask("orchestrator.probe.result");
    unheard.registrationsLost();
    assertThat(lostToldVertx).isTrue();
    assertThat(unheard.wantsUpdatesFor("orchestrator.probe.result")).isFalse();
    ask("orchestrator.probe.result");
    assertThat(reads).isEqualTo(2);
  }

  private List<RegistrationInfo> ask(String address) {
    List<List<RegistrationInfo>> answers = new ArrayList<>();
    unheard.registrations(address, (registrations, failure) -> answers.add(registrations), read);
    assertThat(answers).hasSize(1);
    return answers.get(0);
  }
}
