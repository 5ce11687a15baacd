package io.extrophi.orchestrator.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.UnitTest;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

@UnitTest
class PersistenceHealthTest {

  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private Instant now = START;
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };
  private final List<String> warnings = new ArrayList<>();
  private final List<String> infos = new ArrayList<>();
  private final PersistenceHealth health =
      new PersistenceHealth("data/state.bin", clock, warnings::add, infos::add);

  @Test
  void theFirstFailureIsLoggedWithItsReasonAndShownAsFailing() {
    health.saved();
    now = now.plusSeconds(5);
    PersistenceStatus status = health.failed(new AccessDeniedException("data/state.bin.1.1.tmp"));

    assertThat(warnings)
        .singleElement()
        .asString()
        .startsWith("could not write data/state.bin: permission denied;");
    assertThat(status.state()).isEqualTo(PersistenceStatus.FAILING);
    assertThat(status.lastError()).isEqualTo("permission denied");
    assertThat(status.lastSaved()).isEqualTo(START);
    assertThat(status.failedWrites()).isEqualTo(1);
  }

  @Test
  void failuresEveryFewSecondsAreSummarisedOnceAMinuteWithTheirCount() {
    FileSystemException full = new FileSystemException("x", null, "No space left on device");
    for (int write = 0; write < 30; write++) { // every 5 s for 150 s
      health.failed(full);
      now = now.plusSeconds(5);
    }

    assertThat(warnings).hasSize(3);
    assertThat(warnings.get(0)).contains("no space left on device");
    assertThat(warnings.get(1))
        .startsWith("still cannot write data/state.bin: 12 more failed writes in the last 60 s")
        .contains("the last: no space left on device")
        .contains("nothing saved since the start");
    assertThat(warnings.get(2)).contains(": 12 more failed writes in the last 60 s");
    assertThat(health.status().failedWrites()).isEqualTo(30);
  }

  @Test
  void aWriteThatSucceedsAgainSaysSoOnceAndClearsTheError() {
    health.failed(new FileSystemException("x", null, "Too many open files"));
    now = now.plusSeconds(5);
    health.failed(new FileSystemException("x", null, "Too many open files"));
    now = now.plusSeconds(5);
    PersistenceStatus status = health.saved();
    health.saved();

    assertThat(infos)
        .containsExactly(
            "writing data/state.bin again, after 2 failed writes since 2026-01-01T00:00:00Z");
    assertThat(status)
        .isEqualTo(
            new PersistenceStatus(
                PersistenceStatus.OK, null, START.plus(Duration.ofSeconds(10)), 2));
    // A new run of failures is announced again from its first.
    health.failed(new FileSystemException("x", null, "Too many open files"));
    assertThat(warnings).hasSize(2);
    assertThat(warnings.get(1)).contains("too many open files");
  }

  @Test
  void theJsonOfGetRootCarriesEveryFieldAndReadsBack() {
    PersistenceStatus status =
        new PersistenceStatus(PersistenceStatus.FAILING, "permission denied", START, 3);
    assertThat(status.toJson().encode())
        .isEqualTo(
            "{\"state\":\"failing\",\"last_error\":\"permission denied\","
                + "\"last_saved\":\"2026-01-01T00:00:00Z\",\"failed_writes\":3}");
    assertThat(PersistenceStatus.fromJson(status.toMessage())).isEqualTo(status);
    assertThat(PersistenceStatus.disabled().toJson().encode())
        .isEqualTo(
            "{\"state\":\"disabled\",\"last_error\":null,\"last_saved\":null,\"failed_writes\":0}");
  }
}
