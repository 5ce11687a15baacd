package io.extrophi.orchestrator.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.extrophi.orchestrator.bus.HealthState;
import io.extrophi.orchestrator.testing.UnitTest;
import io.vertx.core.MultiMap;
import java.util.Set;
import org.junit.jupiter.api.Test;

@UnitTest
class FleetQueryTest {

  private static FleetQuery parse(String... namesAndValues) {
    MultiMap params = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      params.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return FleetQuery.fromParams(params);
  }

  @Test
  void noParametersIsThePlainDocument() {
    assertThat(parse()).isEqualTo(FleetQuery.ALL);
    assertThat(parse().isAll()).isTrue();
    assertThat(parse("unrelated", "x").isAll()).isTrue();
  }

  @Test
  void healthTakesSeveralStatesCommaSeparatedOrRepeated() {
    assertThat(parse("health", "unhealthy,circuit_open").health())
        .containsExactlyInAnyOrder(HealthState.UNHEALTHY, HealthState.CIRCUIT_OPEN);
    assertThat(parse("health", "healthy", "health", "unknown").health())
        .containsExactlyInAnyOrder(HealthState.HEALTHY, HealthState.UNKNOWN);
    assertThat(parse("health", "unhealthy").pages()).isFalse();
  }

  @Test
  void aBadValueNamesItsParameter() {
    assertBad("health", "health", "sick");
    assertBad("health", "health", "unhealthy,");
    assertBad("limit", "limit", "0");
    assertBad("limit", "limit", "-3");
    assertBad("limit", "limit", "ten");
    assertBad("limit", "limit", "9999999999");
    assertBad("cursor", "cursor", "%%%");
    assertBad("cursor", "cursor", "YWxwaGE");
  }

  private static void assertBad(String parameter, String name, String value) {
    assertThatThrownBy(() -> parse(name, value))
        .isInstanceOfSatisfying(
            FleetQuery.BadParameter.class,
            bad -> {
              assertThat(bad.parameter()).isEqualTo(parameter);
              assertThat(bad.getMessage()).startsWith(parameter + " ");
            });
  }

  @Test
  void aCursorCarriesTheNameItFollowsAndImpliesAPage() {
    String cursor = FleetQuery.cursorAfter("ünïcødé/name ok");
    assertThat(cursor).matches("[A-Za-z0-9_-]+");
    FleetQuery next = parse("cursor", cursor);
    assertThat(next.after()).isEqualTo("ünïcødé/name ok");
    assertThat(next.limit()).isEqualTo(FleetQuery.DEFAULT_LIMIT);
    assertThat(parse("cursor", cursor, "limit", "5").limit()).isEqualTo(5);
  }

  @Test
  void crossesTheBusUnchanged() {
    FleetQuery query =
        new FleetQuery("api", Set.of(HealthState.UNHEALTHY, HealthState.UNKNOWN), 50, "m");
    assertThat(FleetQuery.fromJson(query.toJson())).isEqualTo(query);
    assertThat(FleetQuery.fromJson(FleetQuery.ALL.toJson())).isEqualTo(FleetQuery.ALL);
  }
}
