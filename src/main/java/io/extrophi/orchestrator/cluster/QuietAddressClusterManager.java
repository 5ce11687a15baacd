package io.extrophi.orchestrator.cluster;

import com.hazelcast.config.Config;
import io.vertx.core.Completable;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.core.spi.cluster.RegistrationListener;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;

/**
 * Vert.x's Hazelcast cluster manager, with the addresses nobody listens to answered from memory
 * ({@link UnheardAddresses}) instead of read from Hazelcast for every message sent to them.
 */
final class QuietAddressClusterManager extends HazelcastClusterManager {

  private volatile UnheardAddresses unheard;

  QuietAddressClusterManager(Config config) {
    super(config);
  }

  @Override
  public void registrationListener(RegistrationListener listener) {
    unheard = new UnheardAddresses(listener);
    super.registrationListener(unheard);
  }

  @Override
  public void getRegistrations(String address, Completable<List<RegistrationInfo>> promise) {
    if (unheard == null) {
      super.getRegistrations(address, promise);
      return;
    }
    unheard.registrations(address, promise, super::getRegistrations);
  }
}
