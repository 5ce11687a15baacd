package io.extrophi.orchestrator.probe;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops the ERROR line Vert.x writes for a probed target that answers with something other than
 * HTTP ({@code invalid version format: GARBAGE}, once per probe, naming no service). The probe
 * reports the same failure as {@code not an HTTP response} at the level of every failed probe
 * ({@link ServiceMonitor}); the ERROR would only repeat it without saying which service it was.
 *
 * <p>Vert.x logs it because the probe client's connections have no exception handler of their own;
 * the request fails with the same exception, so nothing is lost. Installed by {@code logback.xml}.
 */
public final class NotHttpResponseLogFilter extends TurboFilter {

  /** Where Vert.x logs an exception of a connection nobody else handles. */
  static final String CONNECTION_LOGGER = "io.vertx.core.net.impl.ConnectionBase";

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (level == Level.ERROR
        && CONNECTION_LOGGER.equals(logger.getName())
        && FailureDescriptions.isNotHttpMessage(format)) {
      return FilterReply.DENY;
    }
    return FilterReply.NEUTRAL;
  }
}
