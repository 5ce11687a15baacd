package io.extrophi.orchestrator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.UnitTest;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

@UnitTest
class CopiedStateTest {

  @Test
  void aBatchIsHeldByTheServicesWhoseChunkWasEncodedAfterIt() {
    CopiedState copy = new CopiedState();
    copy.add(chunk("s0", "s1"), new JsonObject().put("a", 10).put("b", 4), 100);
    // The source applied a's batches 11 and 12 and b's 5 before it encoded the second chunk.
    copy.add(chunk("s2"), new JsonObject().put("a", 12).put("b", 5), 50);

    assertThat(copy.holds("s0", "a", 10)).isTrue();
    assertThat(copy.holds("s0", "a", 11)).isFalse();
    assertThat(copy.holds("s2", "a", 11)).isTrue();
    assertThat(copy.holds("s2", "a", 12)).isTrue();
    assertThat(copy.holds("s2", "a", 13)).isFalse();
    assertThat(copy.holds("s1", "b", 5)).isFalse();
    assertThat(copy.holds("s2", "b", 5)).isTrue();
    // A service the copy does not carry holds what every chunk holds.
    assertThat(copy.holds("elsewhere", "a", 10)).isTrue();
    assertThat(copy.holds("elsewhere", "a", 11)).isFalse();

    assertThat(copy.lowestWatermarks()).isEqualTo(Map.of("a", 10L, "b", 4L));
    assertThat(copy.highestWatermarks()).isEqualTo(Map.of("a", 12L, "b", 5L));
    assertThat(copy.isPartlyHeld("a", 12)).isTrue();
    assertThat(copy.isPartlyHeld("a", 13)).isFalse();
    assertThat(copy.services()).containsOnlyKeys("s0", "s1", "s2");
    assertThat(copy.chunks()).isEqualTo(2);
    assertThat(copy.bytes()).isEqualTo(150);
    assertThat(copy.largestChunk()).isEqualTo(100);
  }

  @Test
  void aNodeAbsentFromALaterChunksWatermarksHeldNothingThere() {
    CopiedState copy = new CopiedState();
    copy.add(chunk("s0"), new JsonObject().put("a", 3), 10);
    copy.add(chunk("s1"), new JsonObject().put("b", 2), 10);
    assertThat(copy.lowestWatermarks()).isEqualTo(Map.of("a", 0L));
    assertThat(copy.holds("s1", "a", 1)).isFalse();
    assertThat(copy.holds("s0", "a", 3)).isTrue();
  }

  private static Map<String, ServiceStatus> chunk(String... names) {
    Map<String, ServiceStatus> services = new java.util.LinkedHashMap<>();
    for (String name : names) {
      services.put(name, new ServiceStatus(name, 10));
    }
    return services;
  }
}
