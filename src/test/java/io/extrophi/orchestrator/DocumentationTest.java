package io.extrophi.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.UnitTest;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README and docs/ keep their word: every figure the README quotes is one docs/benchmarks.md
 * has, and every link between them leads to a file and a heading that exist.
 */
@UnitTest
class DocumentationTest {

  private static final Path README = Path.of("README.md");
  private static final Path DOCS = Path.of("docs");
  private static final Pattern NUMBER =
      Pattern.compile("\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?");
  private static final Pattern LINK = Pattern.compile("\\[([^\\]]*)\\]\\(([^)\\s]+)\\)");
  private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*)$");

  @Test
  void everyFigureTheReadmeQuotesIsInTheBenchmarks() throws IOException {
    String readme = read(README);
    int begin = readme.indexOf("<!-- figures:begin");
    int end = readme.indexOf("<!-- figures:end -->");
    assertThat(begin).as("the README's figures block").isNotNegative();
    assertThat(end).isGreaterThan(begin);
    String figures = readme.substring(readme.indexOf("-->", begin) + 3, end);
    Set<String> measured = numbers(read(DOCS.resolve("benchmarks.md")));
    assertThat(numbers(figures)).isNotEmpty().allSatisfy(n -> assertThat(measured).contains(n));
  }

  @Test
  void everyLinkLeadsToAFileAndAHeadingThatExist() throws IOException {
    List<Path> pages = new ArrayList<>(List.of(README));
    try (Stream<Path> docs = Files.list(DOCS)) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    List<String> broken = new ArrayList<>();
    for (Path page : pages) {
      Matcher link = LINK.matcher(outsideCode(read(page)));
      while (link.find()) {
        String target = link.group(2);
        if (target.matches("^[a-z]+:.*")) {
          continue;
        }
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        Path linked = file.isEmpty() ? page : page.resolveSibling(file).normalize();
        if (!Files.exists(linked)) {
          broken.add(page + ": " + target + " (no such file)");
        } else if (hash >= 0
            && linked.toString().endsWith(".md")
            && !anchors(read(linked)).contains(target.substring(hash + 1))) {
          broken.add(page + ": " + target + " (no such heading)");
        }
      }
    }
    assertThat(broken).isEmpty();
  }

  /** Numbers as values: "126,573" and "126573" are one, so are "795" and "795.0". */
  private static Set<String> numbers(String text) {
    Set<String> found = new HashSet<>();
    Matcher number = NUMBER.matcher(text);
    while (number.find()) {
      found.add(
          new BigDecimal(number.group().replace(",", "")).stripTrailingZeros().toPlainString());
    }
    return found;
  }

  /** GitHub's anchors: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
  private static Set<String> anchors(String markdown) {
    Set<String> anchors = new HashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    for (String line : outsideCode(markdown).split("\n")) {
      Matcher heading = HEADING.matcher(line);
      if (heading.matches()) {
        String slug =
            heading
                .group(1)
                .trim()
                .toLowerCase()
                .replaceAll("[^\\p{L}\\p{N}_\\- ]", "")
                .replace(' ', '-');
        Integer count = seen.merge(slug, 1, Integer::sum) - 1;
        anchors.add(count == 0 ? slug : slug + "-" + count);
      }
    }
    return anchors;
  }

  /** The text without its fenced code blocks, where '#' starts a comment, not a heading. */
  private static String outsideCode(String markdown) {
    StringBuilder kept = new StringBuilder();
    boolean fenced = false;
    for (String line : markdown.split("\n", -1)) {
      if (line.startsWith("```")) {
        fenced = !fenced;
      } else if (!fenced) {
        kept.append(line).append('\n');
      }
    }
    return kept.toString();
  }

  private static String read(Path path) throws IOException {
    return Files.readString(path, StandardCharsets.UTF_8);
  }
}
