package io.extrophi.orchestrator.config.source;

import io.extrophi.orchestrator.config.InvalidConfigException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * One parsed YAML or JSON file (config file or services file): its content as JSON, and the line of
 * every key so errors can point at it.
 *
 * <p>vertx-config's YAML store forgets where values were, so the text is read here through {@link
 * Vertx#fileSystem()} and parsed with SnakeYAML's node API, which keeps a mark on every node.
 * Parsing runs on a worker thread, like vertx-config's own YAML processor, so a large fleet file
 * cannot stall the event loop.
 */
final class ConfigDocument {

  private static final int MAX_DEPTH = 64;

  private final String path;
  private final JsonObject content;
  private final Map<String, Integer> lines;

  private ConfigDocument(String path, JsonObject content, Map<String, Integer> lines) {
    this.path = path;
    this.content = content;
    this.lines = lines;
  }

  /** An in-memory document without line information, for tests and programmatic settings. */
  static ConfigDocument of(String path, JsonObject content) {
    return new ConfigDocument(path, content, Map.of());
  }

  /**
   * Reads and parses {@code path}: JSON when it ends in {@code .json}, YAML otherwise.
   *
   * @return the document, or a failure with an {@link InvalidConfigException} naming the file (and
   *     the line of a syntax error)
   */
  static Future<ConfigDocument> read(Vertx vertx, String path) {
    return vertx
        .fileSystem()
        .readFile(path)
        .recover(
            cause ->
                Future.failedFuture(
                    InvalidConfigException.unreadableFile(
                        path, "cannot be read: " + oneLine(cause.getMessage()), cause)))
        .compose(buffer -> parse(vertx, path, buffer));
  }

  /** Parses {@code buffer}, the content of {@code path}, on a worker thread as {@link #read}. */
  static Future<ConfigDocument> parse(Vertx vertx, String path, Buffer buffer) {
    return vertx.executeBlocking(() -> parse(path, buffer), false);
  }

  static ConfigDocument parse(String path, Buffer buffer) {
    String text = buffer.toString(StandardCharsets.UTF_8);
    return path.toLowerCase(Locale.ROOT).endsWith(".json")
        ? parseJson(path, text)
        : parseYaml(path, text);
  }

  static ConfigDocument parseYaml(String path, String text) {
    LoaderOptions options = new LoaderOptions();
    // Two "timeout:" lines in one service are a mistake, not "the last one wins".
    options.setAllowDuplicateKeys(false);
    Node root;
    Object value;
    try {
      root = new Yaml(options).compose(new StringReader(text));
      value = root == null ? null : new NodeConstructor(options).construct(root);
    } catch (MarkedYAMLException e) {
      throw syntaxError(path, e);
    } catch (YAMLException e) {
      throw InvalidConfigException.unparsableFile(
          path, null, "cannot be parsed as YAML: " + oneLine(e.getMessage()), e);
    }
    if (value != null && !(value instanceof Map)) {
      throw InvalidConfigException.unparsableFile(
          path,
          line(root.getStartMark()),
          "must hold a mapping of keys at the top level (line " + line(root.getStartMark()) + ")",
          null);
    }
    Map<String, Integer> lines = new HashMap<>();
    if (root != null) {
      index(root, "", lines, 0);
    }
    JsonObject content = value == null ? new JsonObject() : (JsonObject) toJson(path, value, 0);
    return new ConfigDocument(path, content, Map.copyOf(lines));
  }

  /** The most code points SnakeYAML's composer reads by default ({@link LoaderOptions}). */
  private static final int YAML_CODE_POINT_LIMIT = new LoaderOptions().getCodePointLimit();

  static ConfigDocument parseJson(String path, String text) {
    JsonObject content;
    try {
      content = text.isBlank() ? new JsonObject() : new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw InvalidConfigException.unparsableFile(
          path, null, "cannot be parsed as JSON: " + oneLine(e.getMessage()), e);
    }
    // JSON is (nearly) YAML, so the YAML composer finds the lines; without them, messages still
    // name the file.
    Map<String, Integer> lines = new HashMap<>();
    if (text.length() > YAML_CODE_POINT_LIMIT) {
      // The composer gives up past its limit, after composing up to it: for a fleet of 100,000
      // services that was most of a minute of a busy machine's start-up spent for nothing.
      return new ConfigDocument(path, content, Map.of());
    }
    try {
      Node root = new Yaml().compose(new StringReader(text));
      if (root != null) {
        index(root, "", lines, 0);
      }
    } catch (RuntimeException e) {
      lines.clear();
    }
    return new ConfigDocument(path, content, Map.copyOf(lines));
  }

  String path() {
    return path;
  }

  JsonObject content() {
    return content;
  }

  /**
   * The 1-based line of {@code key} (such as {@code services[2].timeout}) or, when that key is not
   * in the file (a missing field), of its closest enclosing key; {@code null} if none is.
   */
  Integer lineOf(String key) {
    String current = key;
    while (!current.isEmpty()) {
      Integer line = lines.get(current);
      if (line != null) {
        return line;
      }
      current = current.substring(0, Math.max(0, Math.max(current.lastIndexOf('.'), cut(current))));
    }
    return null;
  }

  // Where the trailing "[n]" of a key starts, or -1.
  private static int cut(String key) {
    return key.endsWith("]") ? key.lastIndexOf('[') : -1;
  }

  private static void index(Node node, String path, Map<String, Integer> lines, int depth) {
    if (depth > MAX_DEPTH) {
      return;
    }
    if (node instanceof MappingNode mapping) {
      for (NodeTuple tuple : mapping.getValue()) {
        if (tuple.getKeyNode() instanceof ScalarNode key) {
          String child = path.isEmpty() ? key.getValue() : path + "." + key.getValue();
          lines.putIfAbsent(child, line(key.getStartMark()));
          index(tuple.getValueNode(), child, lines, depth + 1);
        }
      }
    } else if (node instanceof SequenceNode sequence) {
      for (int i = 0; i < sequence.getValue().size(); i++) {
        Node item = sequence.getValue().get(i);
        String child = path + "[" + i + "]";
        lines.putIfAbsent(child, line(item.getStartMark()));
        index(item, child, lines, depth + 1);
      }
    }
  }

  // Mirrors vertx-config's YAML processor: string keys, dates as ISO-8601 instants.
  private static Object toJson(String path, Object value, int depth) {
    if (depth > MAX_DEPTH) {
      throw InvalidConfigException.unparsableFile(
          path, null, "nests deeper than " + MAX_DEPTH + " levels (a recursive alias?)", null);
    }
    if (value instanceof Map<?, ?> map) {
      JsonObject json = new JsonObject();
      map.forEach((k, v) -> json.put(String.valueOf(k), toJson(path, v, depth + 1)));
      return json;
    }
    if (value instanceof Collection<?> items) {
      JsonArray json = new JsonArray();
      items.forEach(item -> json.add(toJson(path, item, depth + 1)));
      return json;
    }
    if (value instanceof Date date) {
      return date.toInstant().toString();
    }
    if (value instanceof byte[] bytes) {
      return Base64.getEncoder().encodeToString(bytes);
    }
    if (value == null
        || value instanceof String
        || value instanceof Number
        || value instanceof Boolean) {
      return value;
    }
    return value.toString();
  }

  private static InvalidConfigException syntaxError(String path, MarkedYAMLException e) {
    Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
    StringBuilder detail = new StringBuilder();
    if (e.getContext() != null) {
      detail.append(e.getContext());
    }
    if (e.getProblem() != null) {
      detail.append(detail.length() > 0 ? ", " : "").append(e.getProblem());
    }
    Integer line = mark == null ? null : line(mark);
    String at = mark == null ? "" : " at line " + line + ", column " + (mark.getColumn() + 1);
    return InvalidConfigException.unparsableFile(
        path, line, "cannot be parsed as YAML" + at + ": " + oneLine(detail.toString()), e);
  }

  private static int line(Mark mark) {
    return mark.getLine() + 1;
  }

  static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("\\s+", " ").strip();
  }

  /** Builds Java values from an already composed node, so the text is parsed only once. */
  private static final class NodeConstructor extends SafeConstructor {
    NodeConstructor(LoaderOptions options) {
      super(options);
      // Yaml.load copies this from the options; constructing directly must do it by hand.
      setAllowDuplicateKeys(options.isAllowDuplicateKeys());
    }

    Object construct(Node node) {
      return constructDocument(node);
    }
  }
}
