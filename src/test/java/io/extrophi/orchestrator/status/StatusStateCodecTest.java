package io.extrophi.orchestrator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.bus.HealthState;
import io.extrophi.orchestrator.bus.ProbeResult;
import io.extrophi.orchestrator.config.ServiceDefinition;
import io.extrophi.orchestrator.testing.UnitTest;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The state payload keeps each service's check fingerprint, and still reads the older format. */
@UnitTest
class StatusStateCodecTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void theCheckFingerprintSurvivesARoundTrip() {
    ServiceDefinition writer =
        ServiceDefinition.builder("writer", "http://127.0.0.1:8000/health").build();
    ServiceStatus status = checkedOnce("writer");
    status.followCheck(writer.checkIdentity());

    Map<String, ServiceStatus> read =
        StatusStateCodec.decode(StatusStateCodec.encode(List.of(status)), 10, NOW);

    assertThat(read.get("writer").checkIdentity()).isEqualTo(writer.checkIdentity());
    assertThat(read.get("writer").totalChecks()).isEqualTo(1);
  }

  @Test
  void aStateOfTheFirstFormatIsReadWithAnUnknownCheck() {
    ServiceStatus status = checkedOnce("writer");
    Buffer current = StatusStateCodec.encode(List.of(status));
    // Format 1: the count first, and no fingerprint (here a null string, 4 bytes) at the end.
    Buffer firstFormat =
        Buffer.buffer().appendInt(1).appendBuffer(current.slice(8, current.length() - 4));

    Map<String, ServiceStatus> read = StatusStateCodec.decode(firstFormat, 10, NOW);

    assertThat(read.get("writer").checkIdentity()).isNull();
    assertThat(read.get("writer").totalChecks()).isEqualTo(1);
    assertThat(read.get("writer").health()).isEqualTo(HealthState.HEALTHY);
  }

  @Test
  void aCheckFingerprintChangesWithTheCheckButNotWithTheHeaderOrder() {
    ServiceDefinition base =
        ServiceDefinition.builder("writer", "http://127.0.0.1:8000/health")
            .interval(Duration.ofSeconds(30))
            .timeout(Duration.ofSeconds(5))
            .headers(new LinkedHashMap<>(Map.of("A", "1")))
            .build();
    LinkedHashMap<String, String> twoHeaders = new LinkedHashMap<>();
    twoHeaders.put("A", "1");
    twoHeaders.put("B", "2");
    LinkedHashMap<String, String> reordered = new LinkedHashMap<>();
    reordered.put("B", "2");
    reordered.put("A", "1");

    assertThat(base.toBuilder().url("http://127.0.0.1:8001/health").build().checkIdentity())
        .isNotEqualTo(base.checkIdentity());
    assertThat(withHeaders(base, twoHeaders).checkIdentity())
        .isEqualTo(withHeaders(base, reordered).checkIdentity())
        .isNotEqualTo(base.checkIdentity());
    assertThat(
            base.toBuilder()
                .interval(Duration.ofSeconds(30))
                .timeout(Duration.ofSeconds(5))
                .build()
                .checkIdentity())
        .isEqualTo(base.checkIdentity());
  }

  private static ServiceDefinition withHeaders(
      ServiceDefinition service, Map<String, String> headers) {
    return service.toBuilder().headers(headers).build();
  }

  private static ServiceStatus checkedOnce(String name) {
    ServiceStatus status = new ServiceStatus(name, 10);
    status.apply(ProbeResult.success(name, 200, 12.5, NOW));
    return status;
  }
}
