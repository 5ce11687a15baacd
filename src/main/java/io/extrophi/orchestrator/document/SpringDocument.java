package io.extrophi.orchestrator.document;

import java.util.Map;

/**
 * Spring Boot Actuator's {@code /actuator/health}: {@code status} with nested {@code components},
 * each a status with optional {@code details} and components of its own. Boot 2.0 and 2.1 nested
 * the same under {@code details}, which is read too.
 */
final class SpringDocument {

  private SpringDocument() {}

  static boolean recognises(Map<String, Object> root) {
    return root.get("status") instanceof String
        && (root.get("components") instanceof Map || holdsComponents(root.get("details")));
  }

  static HealthReport read(Map<String, Object> root, WarnOn warnOn) {
    ReportBuilder report = new ReportBuilder(DocumentFormat.SPRING, warnOn);
    addChildren(report, null, root);
    return report.build((String) root.get("status"));
  }

  private static void addChildren(ReportBuilder report, String prefix, Map<?, ?> node) {
    Object children = node.get("components");
    if (!(children instanceof Map) && holdsComponents(node.get("details"))) {
      children = node.get("details");
    }
    if (!(children instanceof Map<?, ?> components)) {
      return;
    }
    for (Map.Entry<?, ?> entry : components.entrySet()) {
      if (entry.getValue() instanceof Map<?, ?> component) {
        String path = ReportBuilder.join(prefix, String.valueOf(entry.getKey()));
        Object details = component.get("details");
        if (report.add(path, component.get("status"), null, ReportBuilder.outputOf(details))) {
          addChildren(report, path, component);
        }
      }
    }
  }

  // Boot 2.0/2.1 composites: details whose values are themselves statuses.
  private static boolean holdsComponents(Object details) {
    if (!(details instanceof Map<?, ?> map) || map.isEmpty()) {
      return false;
    }
    for (Object value : map.values()) {
      if (!(value instanceof Map<?, ?> component) || !(component.get("status") instanceof String)) {
        return false;
      }
    }
    return true;
  }
}
