package io.extrophi.orchestrator.config.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.extrophi.orchestrator.config.InvalidConfigException;
import io.extrophi.orchestrator.testing.UnitTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@UnitTest
class ConfigDocumentTest {

  private static final String YAML =
      """
      # comment
      HTTP_PORT: 9000
      services:
        - name: a
          url: http://a/
          headers:
            X-Key: v
          tags: [x, y]

        - name: b
          url: http://b/
      """;

  /**
   * Every key path maps to its line; an absent key falls back to its closest enclosing key, and a
   * key with no enclosing key has no line.
   */
  @ParameterizedTest(name = "{0} -> line {1}")
  @CsvSource({
    "HTTP_PORT, 2",
    "services, 3",
    "services[0], 4",
    "services[0].url, 5",
    "services[0].headers.X-Key, 7",
    "services[0].tags[1], 8",
    "services[1].name, 10",
    "services[1].timeout, 10",
    "services[0].body.equals, 4",
    "services[7].url, 3",
    "NOT_THERE,"
  })
  void aKeyPathMapsToItsLineOrItsClosestEnclosingKeys(String keyPath, Integer line) {
    ConfigDocument document = ConfigDocument.parseYaml("f.yaml", YAML);

    assertThat(document.lineOf(keyPath)).isEqualTo(line);
  }

  @Test
  void contentIsPlainJsonWithYamlTypes() {
    ConfigDocument document =
        ConfigDocument.parseYaml(
            "f.yaml",
            "a: 1\nb: 0.5\nc: true\nd: ~\ne: [1, two]\nf: {g: h}\n200: x\nt: 2024-01-02\n");

    assertThat(document.content())
        .isEqualTo(
            new JsonObject()
                .put("a", 1)
                .put("b", 0.5)
                .put("c", true)
                .putNull("d")
                .put("e", new JsonArray().add(1).add("two"))
                .put("f", new JsonObject().put("g", "h"))
                .put("200", "x")
                .put("t", "2024-01-02T00:00:00Z"));
  }

  @Test
  void emptyYamlIsAnEmptyObject() {
    assertThat(ConfigDocument.parseYaml("f.yaml", "# only comments\n").content()).isEmpty();
  }

  @Test
  void topLevelMustBeAMapping() {
    assertThatThrownBy(() -> ConfigDocument.parseYaml("f.yaml", "\n- a\n- b\n"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage(
            "invalid configuration: f.yaml must hold a mapping of keys at the top level"
                + " (line 2)");
  }

  @Test
  void syntaxErrorNamesLineAndColumnOnOneLine() {
    assertThatThrownBy(() -> ConfigDocument.parseYaml("f.yaml", "a: 1\nb: [1, 2\nc: 3\n"))
        .isInstanceOf(InvalidConfigException.class)
        .satisfies(
            e -> {
              InvalidConfigException error = (InvalidConfigException) e;
              assertThat(error.getMessage())
                  .startsWith("invalid configuration: f.yaml cannot be parsed as YAML at line 3")
                  .doesNotContain("\n");
              assertThat(error.file()).isEqualTo("f.yaml");
              assertThat(error.line()).isEqualTo(3);
              assertThat(error.key()).isEqualTo("f.yaml");
            });
  }

  @Test
  void tabIndentationIsASyntaxError() {
    assertThatThrownBy(() -> ConfigDocument.parseYaml("f.yaml", "services:\n\t- name: a\n"))
        .hasMessageStartingWith("invalid configuration: f.yaml cannot be parsed as YAML at line 2");
  }

  @Test
  void recursiveAliasIsRejectedInsteadOfOverflowing() {
    assertThatThrownBy(() -> ConfigDocument.parseYaml("f.yaml", "a: &x [*x]\n"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith("invalid configuration: f.yaml ");
  }

  @Test
  void jsonIsParsedAsJsonWithLines() {
    ConfigDocument document =
        ConfigDocument.parseJson(
            "c.json",
            "{\n  \"HTTP_PORT\": 9000,\n  \"services\": [\n"
                + "    {\"name\": \"a\", \"url\": \"http://a/\"}\n  ]\n}\n");

    assertThat(document.content().getInteger("HTTP_PORT")).isEqualTo(9000);
    assertThat(document.lineOf("HTTP_PORT")).isEqualTo(2);
    assertThat(document.lineOf("services[0].url")).isEqualTo(4);
  }

  @Test
  void invalidJsonIsOneLine() {
    assertThatThrownBy(() -> ConfigDocument.parseJson("c.json", "{ \"a\": \n"))
        .hasMessageStartingWith("invalid configuration: c.json cannot be parsed as JSON: ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }
}
