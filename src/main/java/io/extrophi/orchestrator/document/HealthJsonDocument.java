package io.extrophi.orchestrator.document;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The IETF health check response ({@code application/health+json},
 * draft-inadarei-api-health-check): {@code status} {@code pass}/{@code warn}/{@code fail} (or the
 * aliases {@code ok}/{@code up}, {@code error}/{@code down}), with {@code checks} a map from {@code
 * component:measurement} to a list of results, each with {@code componentId}, {@code
 * componentType}, {@code observedValue}, {@code status} and {@code output}.
 */
final class HealthJsonDocument {

  /** The media type the draft registers. */
  static final String MEDIA_TYPE = "application/health+json";

  private static final Set<String> VERDICTS = Set.of("pass", "warn", "fail");

  private HealthJsonDocument() {}

  static boolean recognises(Map<String, Object> root) {
    return root.get("status") instanceof String status
        && (root.get("checks") instanceof Map || VERDICTS.contains(status));
  }

  static HealthReport read(Map<String, Object> root, WarnOn warnOn) {
    ReportBuilder report = new ReportBuilder(DocumentFormat.HEALTH_JSON, warnOn);
    if (root.get("checks") instanceof Map<?, ?> checks) {
      for (Map.Entry<?, ?> entry : checks.entrySet()) {
        String key = String.valueOf(entry.getKey());
        if (entry.getValue() instanceof List<?> results) {
          boolean byId = results.size() > 1 && distinctIds(results);
          for (int i = 0; i < results.size(); i++) {
            if (results.get(i) instanceof Map<?, ?> result) {
              String path =
                  results.size() == 1
                      ? key
                      : key + "/" + (byId ? result.get("componentId") : String.valueOf(i + 1));
              add(report, path, result);
            }
          }
        } else if (entry.getValue() instanceof Map<?, ?> result) {
          add(report, key, result);
        }
      }
    }
    return report.build((String) root.get("status"));
  }

  private static void add(ReportBuilder report, String path, Map<?, ?> result) {
    Object type = result.get("componentType");
    Object output = result.get("output");
    report.add(
        path,
        result.get("status"),
        type instanceof String text ? text : null,
        output instanceof String text && !text.isBlank() ? text : null);
  }

  /**
   * Whether every result of a measurement names a component of its own; the draft's own example has
   * two nodes of one component, which are then told apart by position ({@code cpu/1}).
   */
  private static boolean distinctIds(List<?> results) {
    Set<Object> ids = new HashSet<>();
    for (Object result : results) {
      if (!(result instanceof Map<?, ?> map)
          || !(map.get("componentId") instanceof String id)
          || !ids.add(id)) {
        return false;
      }
    }
    return true;
  }
}
