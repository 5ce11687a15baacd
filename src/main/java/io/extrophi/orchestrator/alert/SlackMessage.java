package io.extrophi.orchestrator.alert;

import io.extrophi.orchestrator.bus.HealthState;
import io.extrophi.orchestrator.document.ReportedStatus;
import io.extrophi.orchestrator.time.Timestamps;
import io.vertx.core.json.JsonObject;

/**
 * The {@code slack} format: {@code {"text":"…"}} with one readable line, which Slack incoming
 * webhooks and the many services copying them (Mattermost, Rocket.Chat, Discord's {@code /slack}
 * endpoint) accept.
 */
final class SlackMessage {

  private SlackMessage() {}

  /**
   * {@code :red_circle: *writer* is unhealthy (was healthy): HTTP 503 —
   * 2026-11-18T12:00:00.000000Z}
   */
  static JsonObject of(Alert alert) {
    if (alert.reported() != null) {
      return warning(alert);
    }
    String text =
        emoji(alert.newState())
            + (alert.isUpdate() ? " update:" : "")
            + " *"
            + alert.service()
            + "* is "
            + alert.newState().jsonName()
            + " (was "
            + alert.previousState().jsonName()
            + "): "
            + escape(alert.reason())
            + escape(alert.consequences())
            + " — "
            + Timestamps.format(alert.at())
            + (alert.node() == null ? "" : " (node " + escape(alert.node()) + ")");
    return new JsonObject().put("text", text);
  }

  /**
   * {@code :large_yellow_circle: *writer* reports warn (was pass), healthy: db: OUT_OF_SERVICE —
   * 2026-11-18T12:00:00.000000Z}; a warning that clears shows green.
   */
  private static JsonObject warning(Alert alert) {
    boolean warns = alert.reported().to() == ReportedStatus.WARN;
    String summary = alert.summary();
    String text =
        (warns ? ":large_yellow_circle:" : ":large_green_circle:")
            + " *"
            + alert.service()
            + "*"
            + escape(summary.substring(alert.service().length()))
            + " — "
            + Timestamps.format(alert.at())
            + (alert.node() == null ? "" : " (node " + escape(alert.node()) + ")");
    return new JsonObject().put("text", text);
  }

  private static String emoji(HealthState state) {
    return switch (state) {
      case HEALTHY -> ":large_green_circle:";
      case UNHEALTHY -> ":red_circle:";
      case CIRCUIT_OPEN -> ":no_entry:";
      case UNKNOWN -> ":white_circle:";
    };
  }

  // Slack reads <, > and & as markup; a reason such as "HTTP 503 <html>" must show as written.
  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
