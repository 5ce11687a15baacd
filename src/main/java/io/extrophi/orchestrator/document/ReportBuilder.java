package io.extrophi.orchestrator.document;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Collects a document's components, up to {@link HealthReport#MAX_COMPONENTS}, and turns the
 * service's own status into a {@link HealthReport} whose reason names the components behind it.
 */
final class ReportBuilder {

  /** The most components a reason names; the rest are counted. */
  private static final int MAX_NAMED_IN_REASON = 3;

  /** Where a component's short explanation is found among its details or data, in this order. */
  private static final List<String> OUTPUT_KEYS = List.of("error", "cause", "message", "reason");

  private final DocumentFormat format;
  private final WarnOn warnOn;
  private final List<Component> components = new ArrayList<>();
  private int omitted;

  ReportBuilder(DocumentFormat format, WarnOn warnOn) {
    this.format = format;
    this.warnOn = warnOn;
  }

  /**
   * Adds a component whose status is a string; one without a status says nothing and is skipped.
   *
   * @return whether the component was added (or counted as omitted)
   */
  boolean add(String path, Object reported, String type, String output) {
    if (!(reported instanceof String status)) {
      return false;
    }
    if (components.size() < HealthReport.MAX_COMPONENTS) {
      components.add(new Component(path, warnOn.verdictOf(status), status, type, output));
    } else {
      omitted++;
    }
    return true;
  }

  /** The first explanation among the usual keys of a component's details or data. */
  static String outputOf(Object details) {
    if (details instanceof Map<?, ?> map) {
      for (String key : OUTPUT_KEYS) {
        if (map.get(key) instanceof String text && !text.isBlank()) {
          return text;
        }
      }
    }
    return null;
  }

  static String join(String prefix, String name) {
    return prefix == null ? name : prefix + "/" + name;
  }

  HealthReport build(String reported) {
    ReportedStatus verdict = warnOn.verdictOf(reported);
    return new HealthReport(
        format, verdict, Component.brief(reported), reason(verdict, reported), components, omitted);
  }

  /**
   * The components with the service's verdict that are the source of it: those none of whose
   * children share it, so {@code db/primary} is named rather than {@code db} as well.
   */
  private String reason(ReportedStatus verdict, String reported) {
    if (verdict == ReportedStatus.PASS) {
      return null;
    }
    List<Component> sources = new ArrayList<>();
    for (Component component : components) {
      if (component.status() == verdict && !hasChildWith(component, verdict)) {
        sources.add(component);
      }
    }
    if (sources.isEmpty()) {
      return "reported status " + Component.brief(reported);
    }
    StringBuilder reason = new StringBuilder();
    for (int i = 0; i < Math.min(sources.size(), MAX_NAMED_IN_REASON); i++) {
      reason.append(i == 0 ? "" : "; ").append(sources.get(i).describe());
    }
    if (sources.size() > MAX_NAMED_IN_REASON) {
      reason.append(" and ").append(sources.size() - MAX_NAMED_IN_REASON).append(" more");
    }
    return reason.toString();
  }

  private boolean hasChildWith(Component parent, ReportedStatus status) {
    String prefix = parent.path() + "/";
    for (Component component : components) {
      if (component.status() == status && component.path().startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
