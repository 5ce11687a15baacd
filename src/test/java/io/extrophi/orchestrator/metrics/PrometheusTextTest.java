package io.extrophi.orchestrator.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.extrophi.orchestrator.testing.PrometheusText;
import io.extrophi.orchestrator.testing.UnitTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The scrape parser the metrics tests rely on rejects what a scraper would reject. */
@UnitTest
class PrometheusTextTest {

  private static final String GOOD =
      "# HELP a_total Things.\n"
          + "# TYPE a_total counter\n"
          + "a_total{service=\"x\",outcome=\"ok\"} 3.0\n"
          + "# TYPE h histogram\n"
          + "h_bucket{le=\"+Inf\"} 2\n"
          + "h_count 2\n"
          + "h_sum 0.5\n";

  @Test
  void readsSamplesTypesAndLabels() {
    PrometheusText text = PrometheusText.parse(GOOD);
    assertThat(text.value("a_total", Map.of("service", "x"))).isEqualTo(3.0);
    assertThat(text.type("h")).contains("histogram");
    assertThat(text.named("h_bucket").get(0).labels()).containsEntry("le", "+Inf");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a_total 1\n", // no # TYPE before it
        "# TYPE a counter\na{1x=\"v\"} 1\n", // bad label name
        "# TYPE a counter\na{x=\"v\"} one\n", // bad value
        "# TYPE a counter\na 1\na 2\n", // the same series twice
        "# TYPE a counter\n# TYPE a gauge\n", // declared twice
        "# TYPE a counter\na{x=\"v\" 1\n", // unclosed labels
        "# TYPE a counter\na 1", // no final line feed
        "# TYPE 9a counter\n", // bad name
        "# whatever\n" // unknown comment
      })
  void rejectsWhatAScraperWouldReject(String text) {
    assertThatThrownBy(() -> PrometheusText.parse(text))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
