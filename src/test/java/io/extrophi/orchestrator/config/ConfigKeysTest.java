package io.extrophi.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.UnitTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@UnitTest
class ConfigKeysTest {

  @ParameterizedTest
  @CsvSource({"writer, WRITER_URL", "image-api, IMAGE_API_URL", "db_2, DB_2_URL"})
  void serviceUrlKeyUpperCasesTheNameAndTurnsDashesIntoUnderscores(String name, String key) {
    assertThat(ConfigKeys.serviceUrlKey(name)).isEqualTo(key);
    assertThat(ConfigKeys.looksLikeServiceUrlKey(key)).isTrue();
  }

  @Test
  void documentedUrlKeysAreTheDefaultServicesOverrideKeys() {
    assertThat(OrchestratorConfig.DEFAULT_SERVICES)
        .extracting(service -> ConfigKeys.serviceUrlKey(service.name()))
        .containsExactly(ConfigKeys.WRITER_URL, ConfigKeys.RESEARCH_URL, ConfigKeys.BACKEND_URL);
  }

  @Test
  void knownKeysAreTheScalarKeysTheClusterKeysAndServices() {
    assertThat(ConfigKeys.KNOWN_KEYS)
        .hasSize(ConfigKeys.SCALAR_KEYS.size() + ConfigKeys.CLUSTER_KEYS.size() + 2)
        .containsAll(ConfigKeys.SCALAR_KEYS)
        .containsAll(ConfigKeys.CLUSTER_KEYS)
        .contains(ConfigKeys.SERVICES, ConfigKeys.LOG_LEVEL)
        .doesNotContain(ConfigKeys.CONFIG_FILE);
  }

  @Test
  void ordinaryVariablesDoNotLookLikeServiceUrlKeys() {
    assertThat(ConfigKeys.looksLikeServiceUrlKey("PATH")).isFalse();
    assertThat(ConfigKeys.looksLikeServiceUrlKey("writer_url")).isFalse();
    assertThat(ConfigKeys.looksLikeServiceUrlKey("_URL")).isFalse();
  }
}
