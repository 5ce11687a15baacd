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

  /**
   * Reads a service's {@code alert_webhook} (a URL, or none) and {@code alert_format}, which only
   * makes sense with a webhook: alone it would silently do nothing.
   *
   * @param prefix the service's key, e.g. {@code services[2]}
   * @param globalFormat {@code ALERT_FORMAT}, for a webhook without a format of its own
   */
  static ServiceAlert from(
      ConfigValues values, String prefix, JsonObject entry, AlertFormat globalFormat) {
    String webhookKey = prefix + ".alert_webhook";
    String formatKey = prefix + ".alert_format";
    String webhook = values.optionalUrl(webhookKey, entry.getValue("alert_webhook"));
    AlertFormat format =
        entry.containsKey("alert_format")
            ? AlertFormat.from(values, formatKey, entry.getValue("alert_format"))
            : globalFormat;
    if (webhook == null && entry.containsKey("alert_format")) {
      throw values.invalid(
          formatKey, entry.getValue("alert_format"), "applies to alert_webhook, which is not set");
    }
    return webhook == null ? NONE : new ServiceAlert(webhook, format);
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
