package io.extrophi.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InvalidConfigExceptionTest {

  @Test
  void messageNamesKeyValueSourceAndRuleOnOneLine() {
    var error =
        new InvalidConfigException(
            "HEALTH_CHECK_INTERVAL", "abc", "must be a positive number of seconds", ".env");

    assertThat(error.getMessage())
        .isEqualTo(
            "invalid configuration: HEALTH_CHECK_INTERVAL=\"abc\" (from .env)"
                + " must be a positive number of seconds");
    assertThat(error.key()).isEqualTo("HEALTH_CHECK_INTERVAL");
    assertThat(error.value()).isEqualTo("abc");
    assertThat(error.rule()).isEqualTo("must be a positive number of seconds");
    assertThat(error.source()).isEqualTo(".env");
  }

  @Test
  void unknownSourceIsOmitted() {
    assertThat(new InvalidConfigException("HTTP_PORT", "x", "must be a port", null).getMessage())
        .isEqualTo("invalid configuration: HTTP_PORT=\"x\" must be a port");
  }

  @Test
  void missingValueIsShownAsMissing() {
    assertThat(new InvalidConfigException("services[0].url", null, "must be a URL", "c.yaml"))
        .hasMessage("invalid configuration: services[0].url=<missing> (from c.yaml) must be a URL");
  }

  @Test
  void lineBreaksInValuesCannotSplitTheMessage() {
    var error = new InvalidConfigException("HTTP_HOST", "a\nb\r\"c\"", "must be a host", null);
    assertThat(error.getMessage())
        .isEqualTo("invalid configuration: HTTP_HOST=\"a\\nb\\r\\\"c\\\"\" must be a host")
        .doesNotContain("\n");
  }

  @Test
  void malformedLineNamesLineAndContent() {
    assertThat(InvalidConfigException.malformedLine(4, "FOO BAR", "has an invalid key", ".env"))
        .hasMessage("invalid configuration: line 4 \"FOO BAR\" (from .env) has an invalid key");
  }
}
