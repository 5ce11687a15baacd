package io.extrophi.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.cluster.ClusterSettings;
import io.extrophi.orchestrator.config.source.DefaultSettings;
import io.extrophi.orchestrator.config.source.DotEnvParser;
import io.extrophi.orchestrator.testing.UnitTest;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code .env.example} is what the README promises: every setting, each with its real default, so
 * that {@code cp .env.example .env} starts from the defaults and uncommenting a line changes only
 * that setting.
 */
@UnitTest
class DotEnvExampleTest {

  private static final Path EXAMPLE = Path.of(".env.example");

  /** {@code # KEY=value}: a setting shown with its default, commented out. */
  private static final Pattern COMMENTED_SETTING =
      Pattern.compile("^#\\s*([A-Z][A-Z0-9_]*=.*)$", Pattern.MULTILINE);

  @Test
  void listsEverySettingAndNothingElse() throws IOException {
    Set<String> expected = new HashSet<>(ConfigKeys.KNOWN_KEYS);
    expected.remove(ConfigKeys.SERVICES); // a list: only a YAML file can hold it
    assertThat(uncommented().keySet()).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void changesNothingAsItIs() throws IOException {
    String text = Files.readString(EXAMPLE);
    assertThat(DotEnvParser.parse(text, ".env.example")).isEmpty();
  }

  @Test
  void everyValueShownIsTheDefault() throws IOException {
    Map<String, String> shown = new HashMap<>(uncommented());
    shown.values().removeIf(String::isEmpty); // "KEY=": unset by default
    Map<String, String> cluster = new HashMap<>();
    JsonObject settings = DefaultSettings.of(OrchestratorConfig.defaults());
    shown.forEach(
        (key, value) -> {
          if (ConfigKeys.CLUSTER_KEYS.contains(key)) {
            cluster.put(key, value);
          } else if (!key.equals(ConfigKeys.LOG_LEVEL)) {
            settings.put(key, value);
          }
        });

    OrchestratorConfig withExample =
        OrchestratorConfig.from(ConfigValues.labelled(settings, ".env.example"));

    assertThat(withExample).isEqualTo(OrchestratorConfig.defaults());
    assertThat(ClusterSettings.from(Map.of(), cluster))
        .isEqualTo(ClusterSettings.from(Map.of(), Map.of()));
    assertThat(shown).containsEntry(ConfigKeys.LOG_LEVEL, "INFO");
  }

  @Test
  void keysShownWithoutAValueAreUnsetByDefault() throws IOException {
    JsonObject defaults = DefaultSettings.of(OrchestratorConfig.defaults());
    uncommented()
        .forEach(
            (key, value) -> {
              if (value.isEmpty() && !ConfigKeys.CLUSTER_KEYS.contains(key)) {
                assertThat(defaults.getValue(key)).as(key).isIn(null, ConfigKeys.NONE);
              }
            });
  }

  /** The file as a {@code .env} with every setting line uncommented. */
  private static Map<String, String> uncommented() throws IOException {
    Matcher setting = COMMENTED_SETTING.matcher(Files.readString(EXAMPLE));
    StringBuilder uncommented = new StringBuilder();
    while (setting.find()) {
      uncommented.append(setting.group(1)).append('\n');
    }
    return DotEnvParser.parse(uncommented.toString(), ".env.example");
  }
}
