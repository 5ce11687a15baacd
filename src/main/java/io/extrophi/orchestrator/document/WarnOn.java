package io.extrophi.orchestrator.document;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The reported statuses that make a service (or a component) a warning rather than a failure:
 * healthy for the orchestrator's four health values, {@code warn} as its reported status. Matched
 * ignoring case, so {@code OUT_OF_SERVICE} also matches {@code out_of_service}.
 *
 * @param statuses the statuses as configured, in order, without repeats
 */
public record WarnOn(List<String> statuses) {

  /** {@code warn} (health+json) and {@code OUT_OF_SERVICE} (Spring Boot). */
  public static final WarnOn DEFAULT = new WarnOn(List.of("warn", "OUT_OF_SERVICE"));

  /** Statuses that pass anyway, so listing them would say nothing. */
  public static final Set<String> PASSING = Set.of("up", "ok", "pass", "healthy");

  public WarnOn {
    statuses = List.copyOf(new LinkedHashSet<>(statuses));
  }

  /** The verdict a reported status stands for under these warnings. */
  public ReportedStatus verdictOf(String reported) {
    if (reported == null) {
      return ReportedStatus.FAIL;
    }
    String status = reported.strip().toLowerCase(Locale.ROOT);
    if (PASSING.contains(status)) {
      return ReportedStatus.PASS;
    }
    for (String warning : statuses) {
      if (warning.equalsIgnoreCase(status)) {
        return ReportedStatus.WARN;
      }
    }
    return ReportedStatus.FAIL;
  }
}
