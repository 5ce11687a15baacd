package io.extrophi.orchestrator.cluster;

import io.vertx.core.Completable;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.core.spi.cluster.RegistrationListener;
import io.vertx.core.spi.cluster.RegistrationUpdateEvent;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiConsumer;

/**
 * Remembers the addresses that no member of the cluster listens to, until a registration for one of
 * them is announced, so that publishing to them asks the cluster nothing.
 *
 * <p>Vert.x keeps the members that listen to an address once it has asked for them, and follows the
 * cluster manager's announcements of changes, but not when the answer was "nobody": every message
 * to such an address asked Hazelcast again (a remote read of its registrations map on a worker
 * thread, and work on the member that holds the map's partition). In a cluster every probe result
 * is published on {@link io.extrophi.orchestrator.bus.EventBusAddresses#PROBE_RESULTS}, which
 * usually nobody listens to: a third of each node's CPU went to those reads (issue 19, see
 * docs/benchmarks.md). This listener stands between the cluster manager and Vert.x's node selector
 * ({@code next}): it answers "nobody" from memory for an address it was told had no registration,
 * and forgets the address at the first announcement of a change to it, which the cluster manager
 * sends for every address this listener {@linkplain #wantsUpdatesFor wants}. A listener that
 * registers is thus reached from the moment its registration is announced (milliseconds later), as
 * for any address Vert.x already follows.
 *
 * <p>Thread-safe: asked on the event loops, told of changes on the cluster manager's threads.
 */
public final class UnheardAddresses implements RegistrationListener {

  /** More addresses than any node uses: past it, all are forgotten (and asked about again). */
  static final int MOST_REMEMBERED = 10_000;

  /** The mark of an address with no registration, as last read. */
  private static final Object UNHEARD = new Object();

  private final RegistrationListener next;

  /** {@link #UNHEARD}, or the mark of a read under way (an update while it runs voids it). */
  private final ConcurrentMap<String, Object> addresses = new ConcurrentHashMap<>();

  /**
   * @param next Vert.x's listener (its node selector), told of every change it wants
   */
  public UnheardAddresses(RegistrationListener next) {
    this.next = next;
  }

  /**
   * The registrations of {@code address}: none, from memory, when it is known to have none; else
   * what {@code read} answers, remembered when it is none.
   *
   * @param read how the cluster manager reads an address's registrations
   */
  public void registrations(
      String address,
      Completable<List<RegistrationInfo>> done,
      BiConsumer<String, Completable<List<RegistrationInfo>>> read) {
    Object known = addresses.get(address);
    if (known == UNHEARD) {
      done.succeed(List.of());
      return;
    }
    if (known != null) {
      // Another read of it is under way: this one is only passed on.
      read.accept(address, done);
      return;
    }
    if (addresses.size() >= MOST_REMEMBERED) {
      addresses.clear();
    }
    Object reading = new Object();
    if (addresses.putIfAbsent(address, reading) != null) {
      read.accept(address, done);
      return;
    }
    read.accept(
        address,
        (registrations, failure) -> {
          if (failure == null && registrations != null && registrations.isEmpty()) {
            // Only when no change was announced since the read began.
            addresses.replace(address, reading, UNHEARD);
          } else {
            addresses.remove(address, reading);
          }
          done.complete(registrations, failure);
        });
  }

  @Override
  public boolean wantsUpdatesFor(String address) {
    return addresses.containsKey(address) || next.wantsUpdatesFor(address);
  }

  @Override
  public void registrationsUpdated(RegistrationUpdateEvent event) {
    addresses.remove(event.address());
    if (next.wantsUpdatesFor(event.address())) {
      next.registrationsUpdated(event);
    }
  }

  @Override
  public void registrationsLost() {
    addresses.clear();
    next.registrationsLost();
  }
}
