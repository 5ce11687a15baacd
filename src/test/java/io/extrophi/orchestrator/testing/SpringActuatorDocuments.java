package io.extrophi.orchestrator.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.health.AdditionalHealthEndpointPath;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.DefaultHealthContributorRegistry;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.HealthEndpointGroup;
import org.springframework.boot.actuate.health.HealthEndpointGroups;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.HttpCodeStatusMapper;
import org.springframework.boot.actuate.health.StatusAggregator;

/**
 * Spring Boot Actuator's {@code /actuator/health} documents, made by Actuator itself without an
 * application: its {@link HealthEndpoint} aggregates real indicators (and composites of them) with
 * its default status order, and Jackson writes the result as Boot does. The HTTP status is Boot's
 * default mapping (503 for {@code DOWN} and {@code OUT_OF_SERVICE}).
 */
public final class SpringActuatorDocuments {

  /** What Boot 3 answers with on {@code /actuator/health}. */
  public static final String MEDIA_TYPE = "application/vnd.spring-boot.actuator.v3+json";

  private static final ObjectMapper JACKSON = new ObjectMapper();

  private final Map<String, HealthContributor> contributors = new LinkedHashMap<>();

  /**
   * @param body the document as Boot writes it
   * @param statusCode the HTTP status Boot answers it with
   */
  public record Document(String body, int statusCode) {}

  public static SpringActuatorDocuments application() {
    return new SpringActuatorDocuments();
  }

  /** Adds an indicator answering {@code health}. */
  public SpringActuatorDocuments with(String name, Health health) {
    contributors.put(name, (HealthIndicator) () -> health);
    return this;
  }

  /** Adds a composite contributor (as Boot makes for several data sources) of these indicators. */
  public SpringActuatorDocuments withComposite(String name, Map<String, Health> parts) {
    Map<String, HealthIndicator> indicators = new LinkedHashMap<>();
    parts.forEach((part, health) -> indicators.put(part, () -> health));
    contributors.put(name, CompositeHealthContributor.fromMap(indicators));
    return this;
  }

  /** The document the health endpoint serves, details and components shown. */
  public Document document() {
    HealthEndpoint endpoint =
        new HealthEndpoint(
            new DefaultHealthContributorRegistry(contributors),
            HealthEndpointGroups.of(new ShowEverything(), Map.of()),
            Duration.ofSeconds(10));
    HealthComponent health = endpoint.health();
    try {
      return new Document(
          JACKSON.writeValueAsString(health),
          HttpCodeStatusMapper.DEFAULT.getStatusCode(health.getStatus()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Actuator's health types are written by Jackson", e);
    }
  }

  /** The primary group of an application with {@code show-details} and components always on. */
  private static final class ShowEverything implements HealthEndpointGroup {
    @Override
    public boolean isMember(String name) {
      return true;
    }

    @Override
    public boolean showComponents(SecurityContext securityContext) {
      return true;
    }

    @Override
    public boolean showDetails(SecurityContext securityContext) {
      return true;
    }

    @Override
    public StatusAggregator getStatusAggregator() {
      return StatusAggregator.getDefault();
    }

    @Override
    public HttpCodeStatusMapper getHttpCodeStatusMapper() {
      return HttpCodeStatusMapper.DEFAULT;
    }

    @Override
    public AdditionalHealthEndpointPath getAdditionalPath() {
      return null;
    }
  }
}
