package io.extrophi.orchestrator.config;

import static io.extrophi.orchestrator.config.ConfigLoading.expectConfig;
import static io.extrophi.orchestrator.config.ConfigLoading.isolatedIn;
import static io.extrophi.orchestrator.config.ConfigLoading.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.config.source.ConfigSources;
import io.extrophi.orchestrator.testing.UnitTest;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Alert settings read from real files and the environment, with the usual precedence. */
@ExtendWith(VertxExtension.class)
@UnitTest
class AlertConfigLoadingTest {

  /** Loading needs no fresh Vert.x per case: the extension shares the one @BeforeAll receives. */
  @BeforeAll
  static void oneVertxForTheClass(Vertx vertx) {}

  @TempDir Path dir;

  @Test
  void alertSettingsComeFromEveryLayerAndServiceWebhooksFromTheServicesFile(
      Vertx vertx, VertxTestContext ctx) throws Exception {
    write(
        dir.resolve("config.yaml"),
        """
        ALERT_WEBHOOK: http://127.0.0.1:9000/ops
        ALERT_FORMAT: slack
        ALERT_MAX_ATTEMPTS: 4
        """);
    write(dir.resolve(".env"), "ALERT_RETRY_INITIAL=0.5\n");
    Path services =
        servicesAlertingPaymentsTo(
            "http://127.0.0.1:9000/payments",
            """
                alert_format: json
              - name: search
                url: http://search/health
            """);
    ConfigSources sources =
        isolatedIn(dir)
            .withEnvironment(
                Map.of(ConfigKeys.SERVICES_FILE, services.toString(), "ALERT_TIMEOUT", "3"));

    expectConfig(
        vertx,
        ctx,
        sources,
        config -> {
          AlertSettings alerts = config.alerts();
          assertThat(alerts.webhook()).isEqualTo("http://127.0.0.1:9000/ops");
          assertThat(alerts.format()).isEqualTo(AlertFormat.SLACK);
          assertThat(alerts.maxAttempts()).isEqualTo(4);
          assertThat(alerts.retryInitial()).isEqualTo(Duration.ofMillis(500));
          assertThat(alerts.attemptTimeout()).isEqualTo(Duration.ofSeconds(3));
          assertThat(config.service("payments").orElseThrow().alert())
              .isEqualTo(new ServiceAlert("http://127.0.0.1:9000/payments", AlertFormat.JSON));
          assertThat(config.service("search").orElseThrow().alert()).isEqualTo(ServiceAlert.NONE);
        });
  }

  /**
   * A services file whose first service, payments, alerts to {@code webhook} (on line 4), followed
   * by {@code more} lines.
   */
  private Path servicesAlertingPaymentsTo(String webhook, String more) throws Exception {
    return write(
        dir.resolve("services.yaml"),
        "services:\n"
            + "  - name: payments\n"
            + "    url: http://payments/health\n"
            + "    alert_webhook: "
            + webhook
            + "\n"
            + more);
  }
}
