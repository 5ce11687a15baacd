package io.extrophi.orchestrator.reload;

import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.bus.MessageSchema;
import io.extrophi.orchestrator.config.CheckLog;
import io.extrophi.orchestrator.config.ConfigDiff;
import io.extrophi.orchestrator.config.ConfigLoader;
import io.extrophi.orchestrator.config.ConfigSources;
import io.extrophi.orchestrator.config.FileStamp;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.config.ServicesFileWatch;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the configuration without a restart when the services file changes on disk, when asked on
 * {@link EventBusAddresses#CONFIG_RELOAD} ({@code POST /config/reload}) or on {@link #reload()}
 * (SIGHUP). A valid configuration is published on {@link EventBusAddresses#CONFIG_CHANGED}; an
 * invalid one is rejected as a whole: the last good configuration stays in force and the error is
 * logged and published on {@link EventBusAddresses#CONFIG_STATUS}.
 *
 * <p>Reloads run one after the other, never interleaved.
 */
public final class ConfigReloadVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ConfigReloadVerticle.class);

  private final ConfigSources sources;
  private final UnaryOperator<OrchestratorConfig> adjust;
  private OrchestratorConfig current;
  private String currentError;
  private FileStamp servicesFileStamp;
  private Future<JsonObject> lastReload = Future.succeededFuture();
  private MessageConsumer<JsonObject> requests;
  private long watchTimer = -1;

  /**
   * @param sources where the configuration is read from, as at start-up
   * @param adjust applied to every loaded configuration, as at start-up (e.g. the demo mode)
   * @param initial the configuration in force
   */
  public ConfigReloadVerticle(
      ConfigSources sources, UnaryOperator<OrchestratorConfig> adjust, OrchestratorConfig initial) {
    this.sources = sources;
    this.adjust = adjust;
    this.current = initial;
  }

  @Override
  public Future<?> start() {
    requests =
        vertx
            .eventBus()
            .consumer(
                EventBusAddresses.CONFIG_RELOAD,
                request ->
                    reload()
                        .onSuccess(request::reply)
                        .onFailure(failure -> request.fail(422, failure.getMessage())));
    return requests
        .completion()
        .compose(registered -> stampOfServicesFile())
        .onSuccess(
            stamp -> {
              servicesFileStamp = stamp;
              long everyMs = current.runtime().reloadCheckInterval().toMillis();
              watchTimer = vertx.setPeriodic(everyMs, tick -> reloadIfServicesFileChanged());
            });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(watchTimer);
    return requests.unregister();
  }

  /**
   * Reads the whole configuration again and applies it.
   *
   * @return {@code {"status":"applied"|"unchanged","added":[…],"removed":[…],"changed":[…]}}, or a
   *     failure with the one-line reason when the configuration is invalid
   */
  public Future<JsonObject> reload() {
    lastReload = lastReload.transform(previous -> loadAndApply());
    return lastReload;
  }

  private Future<JsonObject> loadAndApply() {
    return stampOfServicesFile()
        .compose(
            stamp -> {
              // Taken before reading, so an edit made during the reload is seen by the next check.
              servicesFileStamp = stamp;
              return ConfigLoader.load(vertx, sources);
            })
        .map(adjust)
        .onFailure(this::reject)
        .map(this::accept);
  }

  private JsonObject accept(OrchestratorConfig next) {
    ConfigDiff diff = ConfigDiff.between(current, next);
    boolean changed = !next.equals(current);
    warnAboutSettingsNeedingRestart(next);
    CheckLog.reloaded(diff, current, next);
    current = next;
    if (changed) {
      vertx
          .eventBus()
          .publish(EventBusAddresses.CONFIG_CHANGED, next.toJson(), MessageSchema.localDelivery());
    }
    if (currentError != null) {
      currentError = null;
      vertx
          .eventBus()
          .publish(
              EventBusAddresses.CONFIG_STATUS,
              new JsonObject().putNull("error"),
              MessageSchema.localDelivery());
    }
    LOG.info(
        "configuration reloaded ({}): added {}, removed {}, changed {}",
        changed ? "applied" : "unchanged",
        diff.added(),
        diff.removed(),
        diff.changed());
    return MessageSchema.stamp(diff.toJson().put("status", changed ? "applied" : "unchanged"));
  }

  private void reject(Throwable failure) {
    currentError = failure.getMessage();
    LOG.error("configuration reload rejected, keeping the last good one: {}", currentError);
    vertx
        .eventBus()
        .publish(
            EventBusAddresses.CONFIG_STATUS,
            new JsonObject().put("error", currentError),
            MessageSchema.localDelivery());
  }

  private void warnAboutSettingsNeedingRestart(OrchestratorConfig next) {
    if (!Objects.equals(current.httpHost(), next.httpHost())
        || current.httpPort() != next.httpPort()
        || !Objects.equals(current.runtime().dataDir(), next.runtime().dataDir())
        || !Objects.equals(current.runtime().servicesFile(), next.runtime().servicesFile())) {
      LOG.warn("HTTP_HOST, HTTP_PORT, DATA_DIR and SERVICES_FILE take effect only after a restart");
    }
  }

  private void reloadIfServicesFileChanged() {
    if (!lastReload.isComplete()) {
      return;
    }
    stampOfServicesFile()
        .onSuccess(
            stamp -> {
              if (!Objects.equals(stamp, servicesFileStamp)) {
                LOG.info("{} changed on disk", current.runtime().servicesFile());
                reload();
              }
            });
  }

  private Future<FileStamp> stampOfServicesFile() {
    return ServicesFileWatch.stamp(vertx, current);
  }
}
