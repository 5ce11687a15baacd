package io.extrophi.orchestrator.config;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Objects;

/**
 * How health transitions are sent to webhooks: the global receiver and the delivery rules shared by
 * every receiver (a service may add its own receiver, see {@link ServiceAlert}).
 *
 * @param webhook URL every alert is posted to; {@code null} for none. Kept out of {@link
 *     #toString()} but for its host, since webhook URLs usually embed their secret
 * @param format body of the requests to {@code webhook}, and the default of the services' own
 * @param queueSize alerts waiting per receiver besides the one being delivered; when full, the
 *     oldest waiting alert is dropped
 * @param maxAttempts attempts per alert and receiver, the first included, before giving up
 * @param retryInitial wait before the first retry; it doubles with every further retry
 * @param retryMax the longest wait between two attempts
 * @param attemptTimeout deadline of one attempt, from connecting to the end of the response
 */
public record AlertSettings(
    String webhook,
    AlertFormat format,
    int queueSize,
    int maxAttempts,
    Duration retryInitial,
    Duration retryMax,
    Duration attemptTimeout) {

  public static final AlertFormat DEFAULT_FORMAT = AlertFormat.JSON;
  public static final int DEFAULT_QUEUE_SIZE = 1_000;
  public static final int DEFAULT_MAX_ATTEMPTS = 10;
  public static final Duration DEFAULT_RETRY_INITIAL = Duration.ofSeconds(1);
  public static final Duration DEFAULT_RETRY_MAX = Duration.ofSeconds(60);
  public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofSeconds(10);

  static final int MAX_QUEUE_SIZE = 100_000;
  static final int MAX_MAX_ATTEMPTS = 100;

  public AlertSettings {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(retryInitial, "retryInitial");
    Objects.requireNonNull(retryMax, "retryMax");
    Objects.requireNonNull(attemptTimeout, "attemptTimeout");
  }

  /** No global webhook, and the documented delivery defaults. */
  public static AlertSettings defaults() {
    return builder().build();
  }

  /** A builder starting from the {@linkplain #defaults() defaults}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding every field of these settings, to change some of them. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Reads and checks the {@code ALERT_*} settings.
   *
   * @throws InvalidConfigException naming the first key whose value breaks its rule
   */
  public static AlertSettings from(ConfigValues values) {
    Duration retryInitial = values.seconds(ConfigKeys.ALERT_RETRY_INITIAL);
    Duration retryMax = values.seconds(ConfigKeys.ALERT_RETRY_MAX);
    if (retryMax.compareTo(retryInitial) < 0) {
      throw values.invalid(
          ConfigKeys.ALERT_RETRY_MAX,
          values.raw(ConfigKeys.ALERT_RETRY_MAX),
          "must not be shorter than "
              + ConfigKeys.ALERT_RETRY_INITIAL
              + " ("
              + retryInitial.toMillis()
              + " ms)");
    }
    return new AlertSettings(
        values.optionalUrl(ConfigKeys.ALERT_WEBHOOK, values.raw(ConfigKeys.ALERT_WEBHOOK)),
        AlertFormat.from(values, ConfigKeys.ALERT_FORMAT, values.raw(ConfigKeys.ALERT_FORMAT)),
        values.wholeNumber(ConfigKeys.ALERT_QUEUE_SIZE, 1, MAX_QUEUE_SIZE),
        values.wholeNumber(ConfigKeys.ALERT_MAX_ATTEMPTS, 1, MAX_MAX_ATTEMPTS),
        retryInitial,
        retryMax,
        values.seconds(ConfigKeys.ALERT_TIMEOUT));
  }

  public static AlertSettings fromJson(JsonObject json) {
    if (json == null) {
      return defaults();
    }
    return new AlertSettings(
        json.getString("webhook"),
        AlertFormat.parse(json.getString("format")).orElseThrow(),
        json.getInteger("queue_size"),
        json.getInteger("max_attempts"),
        Duration.ofMillis(json.getLong("retry_initial_ms")),
        Duration.ofMillis(json.getLong("retry_max_ms")),
        Duration.ofMillis(json.getLong("attempt_timeout_ms")));
  }

  /** The settings as they travel between the verticles of one process: the webhook included. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("webhook", webhook)
        .put("format", format.configName())
        .put("queue_size", queueSize)
        .put("max_attempts", maxAttempts)
        .put("retry_initial_ms", retryInitial.toMillis())
        .put("retry_max_ms", retryMax.toMillis())
        .put("attempt_timeout_ms", attemptTimeout.toMillis());
  }

  /** Like the record's, with the webhook's path hidden: settings may be logged. */
  @Override
  public String toString() {
    return "AlertSettings[webhook="
        + RedactedUrl.of(webhook)
        + ", format="
        + format.configName()
        + ", queueSize="
        + queueSize
        + ", maxAttempts="
        + maxAttempts
        + ", retryInitial="
        + retryInitial
        + ", retryMax="
        + retryMax
        + ", attemptTimeout="
        + attemptTimeout
        + "]";
  }

  /** Builds {@link AlertSettings}; unset fields keep their defaults. */
  public static final class Builder {
    private String webhook;
    private AlertFormat format = DEFAULT_FORMAT;
    private int queueSize = DEFAULT_QUEUE_SIZE;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration retryInitial = DEFAULT_RETRY_INITIAL;
    private Duration retryMax = DEFAULT_RETRY_MAX;
    private Duration attemptTimeout = DEFAULT_ATTEMPT_TIMEOUT;

    private Builder() {}

    private Builder(AlertSettings settings) {
      webhook = settings.webhook;
      format = settings.format;
      queueSize = settings.queueSize;
      maxAttempts = settings.maxAttempts;
      retryInitial = settings.retryInitial;
      retryMax = settings.retryMax;
      attemptTimeout = settings.attemptTimeout;
    }

    /** {@code null} for no global webhook. */
    public Builder webhook(String webhook) {
      this.webhook = webhook;
      return this;
    }

    public Builder format(AlertFormat format) {
      this.format = format;
      return this;
    }

    public Builder queueSize(int queueSize) {
      this.queueSize = queueSize;
      return this;
    }

    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    public Builder retryInitial(Duration retryInitial) {
      this.retryInitial = retryInitial;
      return this;
    }

    public Builder retryMax(Duration retryMax) {
      this.retryMax = retryMax;
      return this;
    }

    public Builder attemptTimeout(Duration attemptTimeout) {
      this.attemptTimeout = attemptTimeout;
      return this;
    }

    public AlertSettings build() {
      return new AlertSettings(
          webhook, format, queueSize, maxAttempts, retryInitial, retryMax, attemptTimeout);
    }
  }
}
