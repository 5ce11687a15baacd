package io.extrophi.orchestrator.view;

import io.extrophi.orchestrator.bus.HealthState;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which services {@code GET /health/status} shows: those with a tag, those in some health states,
 * and one page of them in name order. Crosses the event bus from the HTTP API to the status
 * verticle as {@link #toJson()}.
 *
 * @param tag only services with this tag, or {@code null} for all
 * @param health only services in one of these states; empty for all
 * @param limit at most this many services, in name order, with a {@code next_cursor}; {@code null}
 *     when no page was asked for (the services then come in configured order, as always)
 * @param after the name the page starts after (decoded from the cursor), or {@code null} for the
 *     first page
 */
public record FleetQuery(String tag, Set<HealthState> health, Integer limit, String after) {

  /** The page size when a cursor comes without a limit. */
  public static final int DEFAULT_LIMIT = 100;

  /** No filter and no page: the original document. */
  public static final FleetQuery ALL = new FleetQuery(null, Set.of(), null, null);

  private static final String CURSOR_PREFIX = "n:";
  private static final String HEALTH_VALUES =
      Arrays.stream(HealthState.values())
          .map(HealthState::jsonName)
          .collect(Collectors.joining(", "));

  public FleetQuery {
    health = health.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(health));
  }

  /** A query parameter that has no meaning: the answer is a 400 that names it. */
  public static final class BadParameter extends IllegalArgumentException {
    private final String parameter;

    BadParameter(String parameter, String message) {
      super(message);
      this.parameter = parameter;
    }

    public String parameter() {
      return parameter;
    }
  }

  /**
   * Reads {@code ?tag=}, {@code ?health=} (one or more states, comma-separated or repeated), {@code
   * ?limit=} and {@code ?cursor=}; other parameters are ignored, as they always were.
   *
   * @throws BadParameter naming the first parameter whose value has no meaning
   */
  public static FleetQuery fromParams(MultiMap params) {
    String tag = params.get("tag");
    Set<HealthState> health = EnumSet.noneOf(HealthState.class);
    for (String value : params.getAll("health")) {
      for (String name : value.split(",", -1)) {
        try {
          health.add(HealthState.fromJsonName(name.strip()));
        } catch (IllegalArgumentException unknown) {
          throw new BadParameter(
              "health",
              "health must be one or more of "
                  + HEALTH_VALUES
                  + ", comma-separated; got \""
                  + value
                  + "\"");
        }
      }
    }
    Integer limit = null;
    String limitText = params.get("limit");
    if (limitText != null) {
      if (!limitText.matches("[0-9]{1,9}") || Integer.parseInt(limitText) < 1) {
        throw new BadParameter("limit", "limit must be a whole number of at least 1");
      }
      limit = Integer.parseInt(limitText);
    }
    String after = null;
    String cursor = params.get("cursor");
    if (cursor != null) {
      after = decodeCursor(cursor);
      if (limit == null) {
        limit = DEFAULT_LIMIT;
      }
    }
    return new FleetQuery(tag, health, limit, after);
  }

  /**
   * Whether a page was asked for: the answer then comes in name order with a {@code next_cursor}.
   */
  public boolean pages() {
    return limit != null;
  }

  /** Whether the query is the plain document, which is encoded once for every request. */
  public boolean isAll() {
    return tag == null && health.isEmpty() && limit == null;
  }

  /** The opaque cursor of the page that starts after the service {@code name}. */
  public static String cursorAfter(String name) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((CURSOR_PREFIX + name).getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeCursor(String cursor) {
    try {
      String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (decoded.startsWith(CURSOR_PREFIX)) {
        return decoded.substring(CURSOR_PREFIX.length());
      }
    } catch (IllegalArgumentException notBase64) {
      // Answered below, like any other cursor this API did not give out.
    }
    throw new BadParameter(
        "cursor", "cursor must be a next_cursor from an earlier answer; got \"" + cursor + "\"");
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (tag != null) {
      json.put("tag", tag);
    }
    if (!health.isEmpty()) {
      json.put("health", new JsonArray(health.stream().map(HealthState::jsonName).toList()));
    }
    if (limit != null) {
      json.put("limit", limit);
    }
    if (after != null) {
      json.put("after", after);
    }
    return json;
  }

  public static FleetQuery fromJson(JsonObject json) {
    JsonArray health = json.getJsonArray("health", new JsonArray());
    List<HealthState> states =
        health.stream().map(name -> HealthState.fromJsonName((String) name)).toList();
    return new FleetQuery(
        json.getString("tag"),
        states.isEmpty() ? Set.of() : EnumSet.copyOf(states),
        json.getInteger("limit"),
        json.getString("after"));
  }
}
