package io.extrophi.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.UnitTest;
import org.junit.jupiter.api.Test;

@UnitTest
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

  @Test
  void valueFromAFileLineNamesFileAndLine() {
    var error =
        new InvalidConfigException(
            "services[2].timeout",
            "0",
            "must be a positive number of seconds",
            null,
            "conf/services.yaml",
            14);

    assertThat(error)
        .hasMessage(
            "invalid configuration: services[2].timeout=\"0\" (conf/services.yaml line 14)"
                + " must be a positive number of seconds");
    assertThat(error.file()).isEqualTo("conf/services.yaml");
    assertThat(error.line()).isEqualTo(14);
    assertThat(error.source()).isEqualTo("conf/services.yaml");
  }

  @Test
  void fileWithoutLineFallsBackToFrom() {
    assertThat(new InvalidConfigException("services", null, "must be a list", null, "s.yaml", null))
        .hasMessage("invalid configuration: services=<missing> (from s.yaml) must be a list");
  }

  @Test
  void valuesFromTheProcessHaveNoFile() {
    var error = new InvalidConfigException("HTTP_PORT", "x", "must be a port", "environment");
    assertThat(error.file()).isNull();
    assertThat(error.line()).isNull();
  }

  @Test
  void malformedLineKeepsItsFileAndLine() {
    var error = InvalidConfigException.malformedLine(4, "FOO BAR", "has an invalid key", ".env");
    assertThat(error.file()).isEqualTo(".env");
    assertThat(error.line()).isEqualTo(4);
  }

  @Test
  void unparsableFileNamesTheFileAndLine() {
    var error =
        InvalidConfigException.unparsableFile(
            "s.yaml", 3, "cannot be parsed as YAML at line 3, column 1: oops", null);
    assertThat(error)
        .hasMessage(
            "invalid configuration: s.yaml cannot be parsed as YAML at line 3, column 1: oops");
    assertThat(error.file()).isEqualTo("s.yaml");
    assertThat(error.line()).isEqualTo(3);
  }
}
