package io.extrophi.orchestrator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Every test class has exactly one kind, so that {@code -Dgroups=unit} leaves out every slow test
 * and no test falls out of every group.
 */
@UnitTest
class TestTagsTest {

  private static final Set<String> KINDS = Set.of("unit", "integration", "browser", "soak");

  @Test
  void everyTestClassCarriesExactlyOneKind() throws Exception {
    List<Class<?>> testClasses = testClasses();
    Map<String, List<String>> kindsByClass = new TreeMap<>();
    for (Class<?> testClass : testClasses) {
      List<String> kinds =
          AnnotationSupport.findRepeatableAnnotations(testClass, Tag.class).stream()
              .map(Tag::value)
              .toList();
      if (kinds.size() != 1 || !KINDS.contains(kinds.get(0))) {
        kindsByClass.put(testClass.getName(), kinds);
      }
    }
    // The test classes are found at all (this class is one of them).
    assertThat(testClasses).contains(TestTagsTest.class).hasSizeGreaterThan(50);
    assertThat(kindsByClass).as("test classes without exactly one of " + KINDS).isEmpty();
  }

  /** The top-level classes named {@code *Test} on the test class path, as surefire selects them. */
  private static List<Class<?>> testClasses()
      throws IOException, URISyntaxException, ClassNotFoundException {
    Path root =
        Path.of(TestTagsTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> names;
    try (Stream<Path> files = Files.walk(root)) {
      names =
          files
              .map(file -> root.relativize(file).toString())
              .filter(file -> file.endsWith("Test.class") && !file.contains("$"))
              .map(file -> file.substring(0, file.length() - ".class".length()))
              .map(file -> file.replace(root.getFileSystem().getSeparator(), "."))
              .collect(Collectors.toList());
    }
    List<Class<?>> classes = new java.util.ArrayList<>();
    for (String name : names) {
      Class<?> candidate = Class.forName(name, false, TestTagsTest.class.getClassLoader());
      if (!candidate.isAnnotation() && !candidate.isInterface()) {
        classes.add(candidate);
      }
    }
    return classes;
  }
}
