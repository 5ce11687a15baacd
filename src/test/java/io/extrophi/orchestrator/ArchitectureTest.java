package io.extrophi.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.UnitTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The house drawn from the imports of {@code src/main/java}: no package imports one that imports it
 * back, directly or through others. Shared vocabulary lives at the bottom ({@code bus}, {@code
 * state}), never with the code that first produced it.
 */
@UnitTest
class ArchitectureTest {

  private static final String ROOT_PACKAGE = "io.extrophi.orchestrator";
  private static final Pattern PACKAGE =
      Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
  private static final Pattern IMPORT =
      Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)\\s*;", Pattern.MULTILINE);

  @Test
  void theMainSourcesHaveNoPackageLoops() {
    Map<String, Set<String>> imports = packageImports(Path.of("src/main/java"));

    assertThat(imports)
        .as("packages read from src/main/java")
        .containsKey(ROOT_PACKAGE + ".status");
    assertThat(loops(imports)).as("package loops (each a cycle of imports)").isEmpty();
  }

  @Test
  void aLoopThroughThreePackagesIsFound(@TempDir Path sources) throws IOException {
    write(sources, "a", "A", "b.B");
    write(sources, "b", "B", "c.C");
    write(sources, "c", "C", "a.A");
    write(sources, "d", "D", "a.A");

    List<List<String>> loops = loops(packageImports(sources));

    assertThat(loops)
        .containsExactly(List.of(ROOT_PACKAGE + ".a", ROOT_PACKAGE + ".b", ROOT_PACKAGE + ".c"));
  }

  @Test
  void aStaticImportOfANestedTypeCountsForItsPackage(@TempDir Path sources) throws IOException {
    write(sources, "a", "A", "b.B.Inner");
    write(sources, "b", "B", "a.A");

    assertThat(loops(packageImports(sources))).hasSize(1);
  }

  private static void write(Path sources, String pkg, String type, String imported)
      throws IOException {
    Path dir = sources.resolve(ROOT_PACKAGE.replace('.', '/')).resolve(pkg);
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve(type + ".java"),
        "package %s.%s;\n\nimport %s.%s;\n\nclass %s {}\n"
            .formatted(ROOT_PACKAGE, pkg, ROOT_PACKAGE, imported, type));
  }

  /** Package to the other packages of this project it imports from. */
  static Map<String, Set<String>> packageImports(Path sources) {
    Map<String, Set<String>> graph = new TreeMap<>();
    try (Stream<Path> files = Files.walk(sources)) {
      files
          .filter(file -> file.toString().endsWith(".java"))
          .forEach(
              file -> {
                String text = read(file);
                Matcher declared = PACKAGE.matcher(text);
                if (!declared.find()) {
                  return;
                }
                String from = declared.group(1);
                Set<String> targets = graph.computeIfAbsent(from, key -> new TreeSet<>());
                Matcher imported = IMPORT.matcher(text);
                while (imported.find()) {
                  String to = packageOf(imported.group(1));
                  if (to.startsWith(ROOT_PACKAGE) && !to.equals(from)) {
                    targets.add(to);
                  }
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return graph;
  }

  /** The leading lower-case segments of a qualified name: the package, without types. */
  private static String packageOf(String qualified) {
    List<String> segments = new ArrayList<>();
    for (String segment : qualified.split("\\.")) {
      if (Character.isUpperCase(segment.charAt(0))) {
        break;
      }
      segments.add(segment);
    }
    return String.join(".", segments);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The strongly connected groups of more than one package (Tarjan), each sorted. */
  static List<List<String>> loops(Map<String, Set<String>> graph) {
    return new Tarjan(graph).groups();
  }

  private static final class Tarjan {
    private final Map<String, Set<String>> graph;
    private final Map<String, Integer> index = new TreeMap<>();
    private final Map<String, Integer> low = new TreeMap<>();
    private final Deque<String> stack = new ArrayDeque<>();
    private final Set<String> onStack = new TreeSet<>();
    private final List<List<String>> groups = new ArrayList<>();

    Tarjan(Map<String, Set<String>> graph) {
      this.graph = graph;
    }

    List<List<String>> groups() {
      for (String node : graph.keySet()) {
        if (!index.containsKey(node)) {
          visit(node);
        }
      }
      return groups;
    }

    private void visit(String node) {
      index.put(node, index.size());
      low.put(node, index.get(node));
      stack.push(node);
      onStack.add(node);
      for (String next : graph.getOrDefault(node, Set.of())) {
        if (!index.containsKey(next)) {
          visit(next);
          low.put(node, Math.min(low.get(node), low.get(next)));
        } else if (onStack.contains(next)) {
          low.put(node, Math.min(low.get(node), index.get(next)));
        }
      }
      if (low.get(node).equals(index.get(node))) {
        Set<String> group = new TreeSet<>();
        String member;
        do {
          member = stack.pop();
          onStack.remove(member);
          group.add(member);
        } while (!member.equals(node));
        if (group.size() > 1) {
          groups.add(List.copyOf(group));
        }
      }
    }
  }
}
