package io.extrophi.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.UnitTest;
import org.junit.jupiter.api.Test;

@UnitTest
class RedactedUrlTest {

  @Test
  void aCheckUrlKeepsSchemeHostPortPathAndQueryNamesAndMasksUserInfoAndValues() {
    assertThat(
            RedactedUrl.ofCheck(
                "https://probe:s3cret@api.internal:8443/v1/health?token=abc&verbose&region=eu#top"))
        .isEqualTo("https://***@api.internal:8443/v1/health?token=***&***&region=***");
  }

  @Test
  void aPlainCheckUrlIsShownAsItIs() {
    assertThat(RedactedUrl.ofCheck("http://127.0.0.1:8000/health"))
        .isEqualTo("http://127.0.0.1:8000/health");
    assertThat(RedactedUrl.ofCheck("http://writer/")).isEqualTo("http://writer/");
    assertThat(RedactedUrl.ofCheck("http://[::1]:8000")).isEqualTo("http://[::1]:8000");
  }

  @Test
  void aHostWithAnUnderscoreIsShownAfterMaskedUserInfo() {
    assertThat(RedactedUrl.ofCheck("http://user@my_service:8080/health?key="))
        .isEqualTo("http://***@my_service:8080/health?key=***");
  }

  @Test
  void aWebhookUrlShowsOnlyItsSchemeHostAndPort() {
    assertThat(RedactedUrl.of("https://hooks.slack.com/services/T0/B0/xyz"))
        .isEqualTo("https://hooks.slack.com/…");
  }
}
