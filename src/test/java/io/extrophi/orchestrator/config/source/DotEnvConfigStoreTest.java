package io.extrophi.orchestrator.config.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.config.InvalidConfigException;
import io.extrophi.orchestrator.testing.UnitTest;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
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

  @Test
  void isRegisteredAsDotenvStoreAndReturnsParsedEntries(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    Path file = Files.writeString(dir.resolve("app.env"), "A=1 # one\nB='two'\n");
    ConfigRetriever retriever = retriever(vertx, new JsonObject().put("path", file.toString()));
    retriever
        .getConfig()
        .eventually(retriever::close)
        .onComplete(
            ctx.succeeding(
                json ->
                    ctx.verify(
                        () -> {
                          assertThat(json)
                              .isEqualTo(new JsonObject().put("A", "1").put("B", "two"));
                          ctx.completeNow();
                        })));
  }

  @Test
  void missingFileYieldsAnEmptyObject(Vertx vertx, VertxTestContext ctx) {
    ConfigRetriever retriever =
        retriever(vertx, new JsonObject().put("path", dir.resolve("absent.env").toString()));
    retriever
        .getConfig()
        .eventually(retriever::close)
        .onComplete(
            ctx.succeeding(
                json ->
                    ctx.verify(
                        () -> {
                          assertThat(json).isEqualTo(new JsonObject());
                          ctx.completeNow();
                        })));
  }

  @Test
  void keysFieldListsTheKeysReadSoCallersCanNameTheFile(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    Path file = Files.writeString(dir.resolve(".env"), "B=2\nA=1\n");
    ConfigRetriever retriever =
        retriever(
            vertx,
            new JsonObject()
                .put(DotEnvConfigStoreFactory.PATH, file.toString())
                .put(DotEnvConfigStoreFactory.KEYS_FIELD, "$keys"));
    retriever
        .getConfig()
        .eventually(retriever::close)
        .onComplete(
            ctx.succeeding(
                json ->
                    ctx.verify(
                        () -> {
                          assertThat(json.getJsonArray("$keys"))
                              .isEqualTo(new JsonArray().add("B").add("A"));
                          ctx.completeNow();
                        })));
  }

  @Test
  void directoryInsteadOfFileFailsNamingThePath(Vertx vertx, VertxTestContext ctx) {
    ConfigRetriever retriever = retriever(vertx, new JsonObject().put("path", dir.toString()));
    retriever
        .getConfig()
        .eventually(retriever::close)
        .onComplete(
            ctx.failing(
                error ->
                    ctx.verify(
                        () -> {
                          assertThat(error)
                              .isInstanceOf(InvalidConfigException.class)
                              .hasMessageStartingWith(
                                  "invalid configuration: " + dir + " cannot be read");
                          ctx.completeNow();
                        })));
  }
}
