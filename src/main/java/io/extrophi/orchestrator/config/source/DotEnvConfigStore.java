package io.extrophi.orchestrator.config.source;

import io.extrophi.orchestrator.config.InvalidConfigException;
import io.vertx.config.spi.ConfigStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Reads one {@code .env} file without blocking and hands it to vertx-config as flat JSON.
 *
 * <p>A missing file yields an empty object because a {@code .env} is a convenience, not a
 * requirement. A malformed file fails the store (it is not swallowed as optional) so a typo is
 * reported instead of silently ignored.
 */
final class DotEnvConfigStore implements ConfigStore {

  private final FileSystem fileSystem;
  private final String path;
  private final String keysField;

  DotEnvConfigStore(Vertx vertx, String path, String keysField) {
    this.fileSystem = vertx.fileSystem();
    this.path = path;
    this.keysField = keysField;
  }

  @Override
  public Future<Buffer> get() {
    return fileSystem
        .exists(path)
        .compose(
            exists ->
                exists
                    ? fileSystem.readFile(path).recover(this::unreadable).map(this::toJson)
                    : Future.succeededFuture(new JsonObject()))
        .map(JsonObject::toBuffer);
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  private Future<Buffer> unreadable(Throwable cause) {
    return Future.failedFuture(
        InvalidConfigException.unreadableFile(
            path, "cannot be read: " + cause.getMessage(), cause));
  }

  private JsonObject toJson(Buffer content) {
    Map<String, String> entries =
        DotEnvParser.parse(content.toString(StandardCharsets.UTF_8), path);
    JsonObject json = new JsonObject();
    entries.forEach(json::put);
    if (keysField != null) {
      json.put(
          keysField, new JsonArray(entries.keySet().stream().map(Object.class::cast).toList()));
    }
    return json;
  }
}
