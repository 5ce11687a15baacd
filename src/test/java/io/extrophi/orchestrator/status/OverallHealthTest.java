package io.extrophi.orchestrator.status;

import static io.extrophi.orchestrator.bus.HealthState.CIRCUIT_OPEN;
import static io.extrophi.orchestrator.bus.HealthState.HEALTHY;
import static io.extrophi.orchestrator.bus.HealthState.UNHEALTHY;
import static io.extrophi.orchestrator.bus.HealthState.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.bus.HealthState;
import io.extrophi.orchestrator.testing.UnitTest;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@UnitTest
class OverallHealthTest {

  static Stream<Arguments> fleets() {
    return Stream.of(
        Arguments.of(List.of(HEALTHY, HEALTHY, HEALTHY), "healthy"),
        Arguments.of(List.of(HEALTHY, UNHEALTHY, HEALTHY), "degraded"),
        Arguments.of(List.of(HEALTHY, UNKNOWN, HEALTHY), "degraded"),
        Arguments.of(List.of(CIRCUIT_OPEN, HEALTHY, HEALTHY), "degraded"),
        Arguments.of(List.of(UNHEALTHY, UNHEALTHY, UNHEALTHY), "unhealthy"),
        Arguments.of(List.of(UNKNOWN, UNKNOWN, UNKNOWN), "unhealthy"),
        Arguments.of(List.of(CIRCUIT_OPEN, UNKNOWN, UNHEALTHY), "unhealthy"),
        Arguments.of(List.of(HEALTHY), "healthy"),
        Arguments.of(List.of(CIRCUIT_OPEN), "unhealthy"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("fleets")
  void decidesTheOverallHealthOfAFleet(List<HealthState> services, String expected) {
    assertThat(OverallHealth.of(services).jsonName()).isEqualTo(expected);
  }
}
