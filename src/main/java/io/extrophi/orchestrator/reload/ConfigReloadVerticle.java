package io.extrophi.orchestrator.reload;

import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.bus.MessageSchema;
import io.extrophi.orchestrator.config.CheckLog;
import io.extrophi.orchestrator.config.ConfigDiff;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.config.source.ConfigLoader;
import io.extrophi.orchestrator.config.source.ConfigSources;
import io.extrophi.orchestrator.config.source.ServicesFileContent;
import io.extrophi.orchestrator.config.source.ServicesFileWatch;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
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
 * <p>The services file is watched by its content (a SHA-256, see {@link ServicesFileWatch}), read
 * every {@code CONFIG_RELOAD_INTERVAL}. A change is applied only once the file has stayed the same
 * for {@link #SETTLE_TIME}, so an editor that deletes and rewrites the file, or a deploy that
 * writes it in several goes, is applied once, finished. A services file that goes away after one
 * was loaded is not a fleet of built-in defaults: the last good fleet stays and the missing file is
 * reported like an invalid one, until it is back.
 *
 * <p>Reloads run one after the other, never interleaved.
 */
public final class ConfigReloadVerticle extends VerticleBase {

  /**
   * How long the services file must keep the same content before a change is applied: longer than
   * an editor's delete-and-rewrite or a script's writes in several goes usually take, short enough
   * to go unnoticed after a save.
   */
  public static final Duration SETTLE_TIME = Duration.ofMillis(500);

  /**
   * The {@code reason} on {@link EventBusAddresses#CONFIG_STATUS} of a file that failed to load.
   */
  public static final String REASON_INVALID = "invalid";

  /** The {@code reason} on {@link EventBusAddresses#CONFIG_STATUS} of a services file gone away. */
  public static final String REASON_MISSING = "missing";

  private static final Logger LOG = LoggerFactory.getLogger(ConfigReloadVerticle.class);

  private final ConfigSources sources;
  private final UnaryOperator<OrchestratorConfig> adjust;
  private OrchestratorConfig current;
  private String currentError;

  /** The services file as last loaded or rejected: what the watch compares the disk with. */
  private ServicesFileContent actedOn;

  /** Whether the services in force came from the services file (then its absence is an error). */
  private boolean fleetFromFile;

  /** Whether the watch is waiting for a change to settle (or applying it). */
  private boolean settling;

  private Future<JsonObject> lastReload = Future.succeededFuture();
  private MessageConsumer<JsonObject> requests;
  private long watchTimer = -1;
  private long settleTimer = -1;

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
        .compose(registered -> readServicesFile())
        .onSuccess(
            content -> {
              actedOn = content;
              fleetFromFile = content.exists();
              long everyMs = current.runtime().reloadCheckInterval().toMillis();
              watchTimer = vertx.setPeriodic(everyMs, tick -> pollServicesFile());
            });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(watchTimer);
    vertx.cancelTimer(settleTimer);
    return requests.unregister();
  }

  /**
   * Reads the whole configuration again and applies it.
   *
   * @return {@code {"status":"applied"|"unchanged","added":[…],"removed":[…],"changed":[…]}}, or a
   *     failure with the one-line reason when the configuration is invalid or the services file is
   *     missing
   */
  public Future<JsonObject> reload() {
    lastReload =
        lastReload.transform(
            previous ->
                readServicesFile()
                    .onFailure(unreadable -> reject(unreadable.getMessage(), REASON_INVALID))
                    .compose(this::loadAndApply));
    return lastReload;
  }

  private Future<JsonObject> reload(ServicesFileContent content) {
    lastReload = lastReload.transform(previous -> loadAndApply(content));
    return lastReload;
  }

  private Future<JsonObject> loadAndApply(ServicesFileContent content) {
    actedOn = content;
    if (!content.exists() && content.path() != null && fleetFromFile) {
      String error =
          "services file "
              + content.path()
              + " is missing; keeping the last good fleet of "
              + current.services().size()
              + " services until it is back";
      reject(error, REASON_MISSING);
      return Future.failedFuture(error);
    }
    return ConfigLoader.load(vertx, sources, content)
        .map(adjust)
        .onFailure(failure -> reject(failure.getMessage(), REASON_INVALID))
        .map(
            next -> {
              fleetFromFile = content.exists();
              return accept(next);
            });
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

  private void reject(String error, String reason) {
    currentError = error;
    if (REASON_MISSING.equals(reason)) {
      LOG.error(error);
    } else {
      LOG.error("configuration reload rejected, keeping the last good one: {}", error);
    }
    vertx
        .eventBus()
        .publish(
            EventBusAddresses.CONFIG_STATUS,
            new JsonObject().put("error", error).put("reason", reason),
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

  /** Reads the services file; a change starts the wait for it to settle. */
  private void pollServicesFile() {
    if (settling || !lastReload.isComplete()) {
      return;
    }
    settling = true;
    readServicesFile()
        .onComplete(
            read -> {
              if (read.failed() || read.result().sameAs(actedOn)) {
                settling = false;
              } else {
                settleOn(read.result());
              }
            });
  }

  /**
   * Reads the file again after {@link #SETTLE_TIME}: the same content as {@code candidate} is
   * applied; other content is a write still going on, waited for in turn; the content in force
   * again (a file deleted and restored meanwhile) needs nothing.
   */
  private void settleOn(ServicesFileContent candidate) {
    settleTimer =
        vertx.setTimer(
            SETTLE_TIME.toMillis(),
            timer -> {
              settleTimer = -1;
              readServicesFile()
                  .onComplete(
                      read -> {
                        if (read.failed() || read.result().sameAs(actedOn)) {
                          settling = false;
                        } else if (!read.result().sameAs(candidate)) {
                          settleOn(read.result());
                        } else {
                          LOG.info(
                              "{} {} on disk",
                              candidate.path(),
                              candidate.exists() ? "changed" : "is gone");
                          reload(candidate).onComplete(done -> settling = false);
                        }
                      });
            });
  }

  private Future<ServicesFileContent> readServicesFile() {
    return ServicesFileWatch.read(vertx, current);
  }
}
