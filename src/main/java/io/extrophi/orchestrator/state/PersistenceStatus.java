package io.extrophi.orchestrator.state;

import io.extrophi.orchestrator.bus.MessageSchema;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * Whether the state is being saved: the {@code persistence} object of {@code GET /} and the source
 * of the state-file series of {@code GET /metrics}.
 *
 * @param state {@link #OK} while writes succeed, {@link #FAILING} from a failed write until the
 *     next one succeeds, {@link #DISABLED} without a data directory
 * @param lastError why the last write failed ("permission denied"), {@code null} if none has
 * @param lastSaved when the state was last written whole, {@code null} before the first write
 * @param failedWrites how many writes failed since the process started
 */
public record PersistenceStatus(
    String state, String lastError, Instant lastSaved, long failedWrites) {

  public static final String OK = "ok";
  public static final String FAILING = "failing";
  public static final String DISABLED = "disabled";

  /** Without a data directory: nothing is ever saved, and that is not a failure. */
  public static PersistenceStatus disabled() {
    return new PersistenceStatus(DISABLED, null, null, 0);
  }

  public boolean isEnabled() {
    return !DISABLED.equals(state);
  }

  /** The JSON of {@code GET /}: {@code last_error} and {@code last_saved} are always present. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("state", state)
        .put("last_error", lastError)
        .put("last_saved", lastSaved == null ? null : lastSaved.toString())
        .put("failed_writes", failedWrites);
  }

  /** The event-bus message: {@link #toJson()} with the schema version. */
  public JsonObject toMessage() {
    return MessageSchema.stamp(toJson());
  }

  public static PersistenceStatus fromJson(JsonObject json) {
    String saved = json.getString("last_saved");
    return new PersistenceStatus(
        json.getString("state"),
        json.getString("last_error"),
        saved == null ? null : Instant.parse(saved),
        json.getLong("failed_writes", 0L));
  }
}
