package io.extrophi.orchestrator.config;

import io.vertx.core.json.JsonObject;

/**
 * A service's own alert receiver, from its {@code alert_webhook} and {@code alert_format} fields:
 * it gets the service's alerts in addition to the global {@code ALERT_WEBHOOK}.
 *
 * @param webhook URL the service's alerts are posted to; {@code null} for none
 * @param format body of those requests ({@code alert_format}, else {@code ALERT_FORMAT}); {@code
 *     null} exactly when {@code webhook} is
 */
public record ServiceAlert(String webhook, AlertFormat format) {

  /** No receiver of its own: the service's alerts go to the global webhook only. */
  public static final ServiceAlert NONE = new ServiceAlert(null, null);

  public ServiceAlert {
    if ((webhook == null) != (format == null)) {
      throw new IllegalArgumentException("a webhook and its format come together");
    }
  }

  public boolean isNone() {
    return webhook == null;
  }

  public static ServiceAlert fromJson(JsonObject json) {
    if (json == null) {
      return NONE;
    }
    return new ServiceAlert(
        json.getString("webhook"), AlertFormat.parse(json.getString("format")).orElseThrow());
  }

  public JsonObject toJson() {
    return new JsonObject().put("webhook", webhook).put("format", format.configName());
  }

  /** Like the record's, with the webhook's path hidden. */
  @Override
  public String toString() {
    return isNone()
        ? "ServiceAlert[none]"
        : "ServiceAlert[webhook="
            + RedactedUrl.of(webhook)
            + ", format="
            + format.configName()
            + "]";
  }
}
