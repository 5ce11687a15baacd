package io.extrophi.orchestrator.config.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.extrophi.orchestrator.config.InvalidConfigException;
import io.extrophi.orchestrator.testing.UnitTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@UnitTest
class DotEnvParserTest {

  private static final String README_BLOCK =
      """
      # Service URLs (defaults shown)
      WRITER_URL=http://localhost:8000/health
      RESEARCH_URL=http://localhost:8001/health
      BACKEND_URL=http://localhost:8002/health

      # Health check settings
      HEALTH_CHECK_INTERVAL=30  # seconds
      HEALTH_CHECK_TIMEOUT=5    # seconds
      CIRCUIT_BREAKER_THRESHOLD=5  # failures before opening
      """;

  @Test
  void parsesTheReadmeExampleInOrderWithoutComments() {
    assertThat(DotEnvParser.parse(README_BLOCK))
        .containsExactly(
            entry("WRITER_URL", "http://localhost:8000/health"),
            entry("RESEARCH_URL", "http://localhost:8001/health"),
            entry("BACKEND_URL", "http://localhost:8002/health"),
            entry("HEALTH_CHECK_INTERVAL", "30"),
            entry("HEALTH_CHECK_TIMEOUT", "5"),
            entry("CIRCUIT_BREAKER_THRESHOLD", "5"));
  }

  @Test
  void emptyOrCommentOnlyContentYieldsNoEntries() {
    assertThat(DotEnvParser.parse("")).isEmpty();
    assertThat(DotEnvParser.parse("\n   \n# only a comment\n\t# indented comment\n")).isEmpty();
  }

  @ParameterizedTest(name = "{0} -> [{1}]")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "A=30  # seconds                  | 30",
        "A=30\t# tab before comment        | 30",
        "A=http://h/health#frag           | http://h/health#frag",
        "A=#not-a-comment                 | #not-a-comment",
        "A=a#b # but this is              | a#b",
        "A= # only a comment              | ``",
        "A=                               | ``",
        "A=a=b=c                          | a=b=c",
        "A=  spaced value  # note         | spaced value",
        "A=\"http://x:1/health\"          | http://x:1/health",
        "A=\"a # b\"                      | a # b",
        "A='a # b'                        | a # b",
        "A=\"  padded  \"                 | `  padded  `",
        "A=\"quoted\"  # trailing comment | quoted",
        "A='single'# glued comment        | single",
        "A=\"say \\\"hi\\\"\"             | say \"hi\"",
        "A='no \\\"escapes\\\" here'      | no \\\"escapes\\\" here",
        "A=\"\"                           | ``",
        "A=''                             | ``",
        "export A=exported                | exported",
        "  export   A = spaced around =   | spaced around =",
        "\tA\t=\tvalue                     | value",
      })
  void parsesValueFormats(String line, String expected) {
    assertThat(DotEnvParser.parse(line)).containsExactly(entry("A", expected));
  }

  @Test
  void doubleQuotesTurnBackslashNIntoANewline() {
    assertThat(DotEnvParser.parse("A=\"one\\ntwo\"")).containsEntry("A", "one\ntwo");
  }

  @Test
  void aKeyNamedExportWithoutWhitespaceIsAnOrdinaryKey() {
    assertThat(DotEnvParser.parse("export=1")).containsExactly(entry("export", "1"));
  }

  @Test
  void laterDuplicateWinsButKeepsFirstPosition() {
    Map<String, String> parsed = DotEnvParser.parse("A=1\nB=2\nA=3\n");
    assertThat(parsed).containsExactly(entry("A", "3"), entry("B", "2"));
  }

  @Test
  void acceptsWindowsLineEndingsAndAByteOrderMark() {
    assertThat(DotEnvParser.parse("\uFEFFA=1\r\nB=2 # c\r\n"))
        .containsExactly(entry("A", "1"), entry("B", "2"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "NO_EQUALS_SIGN",
        "=value",
        "   = value",
        "MY KEY=1",
        "1KEY=x",
        "A=\"unterminated",
        "A='unterminated",
        "A=\"closed\" trailing junk",
      })
  void rejectsMalformedLineNamingLineNumberContentAndSource(String badLine) {
    String content = "# header\nGOOD=1\n" + badLine + "\nLATER=2\n";
    assertThatThrownBy(() -> DotEnvParser.parse(content, "conf/.env"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith("invalid configuration: line 3 ")
        .hasMessageContaining(badLine.replace("\"", "\\\""))
        .hasMessageContaining("(from conf/.env)")
        .satisfies(
            error -> {
              InvalidConfigException invalid = (InvalidConfigException) error;
              assertThat(invalid.key()).isEqualTo("line 3");
              assertThat(invalid.value()).isEqualTo(badLine);
              assertThat(invalid.source()).isEqualTo("conf/.env");
              assertThat(invalid.getMessage()).doesNotContain("\n");
            });
  }

  @Test
  void unterminatedQuoteMessageSaysSo() {
    assertThatThrownBy(() -> DotEnvParser.parse("WRITER_URL=\"http://x"))
        .hasMessage(
            "invalid configuration: line 1 \"WRITER_URL=\\\"http://x\" has an unterminated \""
                + " quote");
  }
}
