package io.extrophi.orchestrator.config.source;

import static io.extrophi.orchestrator.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.extrophi.orchestrator.config.InvalidConfigException;
import io.extrophi.orchestrator.testing.UnitTest;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@UnitTest
class DotEnvConfigStoreTest {

  @TempDir Path dir;

  private static ConfigRetriever retriever(Vertx vertx, JsonObject storeConfig) {
    return ConfigRetriever.create(
        vertx,
        new ConfigRetrieverOptions()
            .setScanPeriod(0)
            .addStore(
                new ConfigStoreOptions()
                    .setType(DotEnvConfigStoreFactory.TYPE)
                    .setConfig(storeConfig)));
  }

  /** What the store reads with {@code storeConfig}; its failure is the cause of the exception. */
  private static JsonObject read(Vertx vertx, JsonObject storeConfig) throws Exception {
    ConfigRetriever retriever = retriever(vertx, storeConfig);
    return await(retriever.getConfig().eventually(retriever::close));
  }

  @Test
  void isRegisteredAsDotenvStoreAndReturnsParsedEntries(Vertx vertx) throws Exception {
    Path file = Files.writeString(dir.resolve("app.env"), "A=1 # one\nB='two'\n");
    assertThat(read(vertx, new JsonObject().put("path", file.toString())))
        .isEqualTo(new JsonObject().put("A", "1").put("B", "two"));
  }

  @Test
  void missingFileYieldsAnEmptyObject(Vertx vertx) throws Exception {
    assertThat(read(vertx, new JsonObject().put("path", dir.resolve("absent.env").toString())))
        .isEqualTo(new JsonObject());
  }

  @Test
  void keysFieldListsTheKeysReadSoCallersCanNameTheFile(Vertx vertx) throws Exception {
    Path file = Files.writeString(dir.resolve(".env"), "B=2\nA=1\n");
    JsonObject read =
        read(
            vertx,
            new JsonObject()
                .put(DotEnvConfigStoreFactory.PATH, file.toString())
                .put(DotEnvConfigStoreFactory.KEYS_FIELD, "$keys"));
    assertThat(read.getJsonArray("$keys")).isEqualTo(new JsonArray().add("B").add("A"));
  }

  @Test
  void directoryInsteadOfFileFailsNamingThePath(Vertx vertx) {
    assertThatThrownBy(() -> read(vertx, new JsonObject().put("path", dir.toString())))
        .cause()
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith("invalid configuration: " + dir + " cannot be read");
  }
}
