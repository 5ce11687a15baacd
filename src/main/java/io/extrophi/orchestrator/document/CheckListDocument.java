package io.extrophi.orchestrator.document;

import java.util.List;
import java.util.Map;

/**
 * The two formats whose {@code checks} are a list: MicroProfile Health ({@code [{name, status,
 * data}]}) and Vert.x health checks ({@code [{id, status, data}]}, with {@code outcome} beside
 * {@code status} and groups nesting their own {@code checks}).
 */
final class CheckListDocument {

  private CheckListDocument() {}

  static boolean recognisesVertx(Map<String, Object> root) {
    return root.get("outcome") instanceof String
        || (root.get("status") instanceof String && firstCheckHas(root, "id"));
  }

  static boolean recognisesMicroProfile(Map<String, Object> root) {
    return root.get("status") instanceof String && firstCheckHas(root, "name");
  }

  /** Vert.x writes both {@code status} and {@code outcome}; either is the verdict. */
  static Object vertxStatus(Map<String, Object> root) {
    Object status = root.get("status");
    Object outcome = root.get("outcome");
    return status instanceof String || !(outcome instanceof String) ? status : outcome;
  }

  static HealthReport readVertx(Map<String, Object> root, WarnOn warnOn) {
    ReportBuilder report = new ReportBuilder(DocumentFormat.VERTX, warnOn);
    addChecks(report, null, root, "id");
    return report.build((String) vertxStatus(root));
  }

  static HealthReport readMicroProfile(Map<String, Object> root, WarnOn warnOn) {
    ReportBuilder report = new ReportBuilder(DocumentFormat.MICROPROFILE, warnOn);
    addChecks(report, null, root, "name");
    return report.build((String) root.get("status"));
  }

  private static void addChecks(ReportBuilder report, String prefix, Map<?, ?> node, String key) {
    if (!(node.get("checks") instanceof List<?> checks)) {
      return;
    }
    for (Object item : checks) {
      if (item instanceof Map<?, ?> check && check.get(key) instanceof String name) {
        String path = ReportBuilder.join(prefix, name);
        Object status = check.get("status");
        if (report.add(path, status, null, ReportBuilder.outputOf(check.get("data")))) {
          addChecks(report, path, check, key);
        }
      }
    }
  }

  private static boolean firstCheckHas(Map<String, Object> root, String key) {
    return root.get("checks") instanceof List<?> checks
        && !checks.isEmpty()
        && checks.get(0) instanceof Map<?, ?> first
        && first.get(key) instanceof String;
  }
}
