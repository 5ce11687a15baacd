package io.extrophi.orchestrator.config.source;

import io.vertx.config.spi.ConfigStore;
import io.vertx.config.spi.ConfigStoreFactory;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Registers the {@code dotenv} store type with vertx-config.
 *
 * <p>Store configuration: {@code path} (default {@code .env}) and, optionally, {@code keys-field}:
 * when set, the store also emits the list of keys it read under that field. The retriever merges
 * all stores and forgets where each value came from; this lets a caller still name the {@code .env}
 * in warnings and errors.
 */
public final class DotEnvConfigStoreFactory implements ConfigStoreFactory {

  /** The store type to use in {@code ConfigStoreOptions.setType}. */
  public static final String TYPE = "dotenv";

  public static final String PATH = "path";
  public static final String KEYS_FIELD = "keys-field";

  @Override
  public String name() {
    return TYPE;
  }

  @Override
  public ConfigStore create(Vertx vertx, JsonObject configuration) {
    return new DotEnvConfigStore(
        vertx, configuration.getString(PATH, ".env"), configuration.getString(KEYS_FIELD));
  }
}
