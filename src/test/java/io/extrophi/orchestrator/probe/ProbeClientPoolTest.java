package io.extrophi.orchestrator.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.config.ConnectionMode;
import io.extrophi.orchestrator.testing.UnitTest;
import io.vertx.core.http.PoolOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The probe clients' pools: a fresh-connection client pools nothing, so it starts no cleaner timer
 * (which would wake an event loop every second of an idle fleet); a reusing one retires its
 * connections at their maximum age, checked well inside it.
 */
@UnitTest
class ProbeClientPoolTest {

  @Test
  void aFreshConnectionClientStartsNoCleaner() {
    PoolOptions pool = ProbeClients.poolOptions(ConnectionMode.FRESH, 1, Duration.ofSeconds(60));

    assertThat(pool.getCleanerPeriod()).isEqualTo(ProbeClients.NO_CLEANER).isNotPositive();
  }

  @Test
  void aReusingClientRetiresConnectionsAtTheirMaximumAge() {
    PoolOptions pool = ProbeClients.poolOptions(ConnectionMode.REUSE, 8, Duration.ofSeconds(60));

    assertThat(pool.getHttp1MaxSize()).isEqualTo(8);
    assertThat(pool.getMaxLifetimeUnit().toMillis(pool.getMaxLifetime())).isEqualTo(60_000);
    assertThat(pool.getCleanerPeriod()).isEqualTo(1_000);
    assertThat(
            ProbeClients.poolOptions(ConnectionMode.REUSE, 1, Duration.ofMillis(200))
                .getCleanerPeriod())
        .isEqualTo(100);
    assertThat(TimeUnit.MILLISECONDS).isEqualTo(pool.getMaxLifetimeUnit());
  }
}
