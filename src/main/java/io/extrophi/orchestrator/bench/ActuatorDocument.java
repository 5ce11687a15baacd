package io.extrophi.orchestrator.bench;

/**
 * The health document {@code scripts/bench --documents} serves: what a Spring Boot service's {@code
 * /actuator/health} answers with {@code show-details: always}, about 2 KB, every indicator up (so
 * that a failed check is a false failure). Nested as Boot nests it: a {@code db} composite of two
 * data sources and a {@code cache} composite, beside single indicators with details. The JMH
 * benchmark of the document parse reads the same bytes, so its figure and the probe's compare.
 */
public final class ActuatorDocument {

  /** The media type Spring Boot 3 answers {@code /actuator/health} with. */
  public static final String MEDIA_TYPE = "application/vnd.spring-boot.actuator.v3+json";

  /** The document, compact as Jackson writes it. */
  public static final String BODY = build();

  /** The components the document holds, nested ones and their composites counted. */
  public static final int COMPONENTS = 22;

  private ActuatorDocument() {}

  private static String build() {
    String dataSource =
        "{\"status\":\"UP\",\"details\":{\"database\":\"PostgreSQL\","
            + "\"validationQuery\":\"isValid()\"}}";
    String redis =
        "{\"status\":\"UP\",\"details\":{\"version\":\"7.2.4\",\"mode\":\"standalone\"}}";
    return "{\"status\":\"UP\",\"components\":{"
        + "\"db\":{\"status\":\"UP\",\"components\":{"
        + "\"primary\":"
        + dataSource
        + ",\"replica\":"
        + dataSource
        + ",\"reporting\":"
        + dataSource
        + "}},"
        + "\"cache\":{\"status\":\"UP\",\"components\":{\"sessions\":"
        + redis
        + ",\"catalogue\":"
        + redis
        + "}},"
        + "\"diskSpace\":{\"status\":\"UP\",\"details\":{\"total\":499963174912,"
        + "\"free\":91346165760,\"threshold\":10485760,\"path\":\"/workspace/app/.\","
        + "\"exists\":true}},"
        + "\"rabbit\":{\"status\":\"UP\",\"details\":{\"version\":\"3.12.12\"}},"
        + "\"mail\":{\"status\":\"UP\",\"details\":{\"location\":\"smtp.internal.example:587\"}},"
        + "\"elasticsearch\":{\"status\":\"UP\",\"details\":{\"cluster_name\":\"search\","
        + "\"status\":\"green\",\"timed_out\":false,\"number_of_nodes\":3,"
        + "\"number_of_data_nodes\":3,\"active_primary_shards\":42,\"active_shards\":84,"
        + "\"relocating_shards\":0,\"initializing_shards\":0,\"unassigned_shards\":0,"
        + "\"delayed_unassigned_shards\":0,\"number_of_pending_tasks\":0,"
        + "\"number_of_in_flight_fetch\":0,\"task_max_waiting_in_queue_millis\":0,"
        + "\"active_shards_percent_as_number\":100.0}},"
        + "\"discoveryComposite\":{\"status\":\"UP\",\"components\":{\"discoveryClient\":"
        + "{\"status\":\"UP\",\"details\":{\"services\":[\"writer\",\"research\",\"backend\","
        + "\"gateway\"]}}}},"
        + "\"vault\":{\"status\":\"UP\",\"details\":{\"version\":\"1.15.4\"}},"
        + "\"hazelcast\":{\"status\":\"UP\",\"details\":{\"name\":\"orders-cluster\","
        + "\"uuid\":\"d2f0c9a4-6b1e-4c8e-9a51-3f2b7e0c1d44\"}},"
        + "\"mongo\":{\"status\":\"UP\",\"details\":{\"maxWireVersion\":21}},"
        + "\"couchbase\":{\"status\":\"UP\",\"details\":{\"sdk\":\"java-client/3.5.2\","
        + "\"endpoints\":[{\"id\":\"0x1f2e\",\"local\":\"10.0.3.21:51432\","
        + "\"remote\":\"10.0.4.7:11210\",\"state\":\"CONNECTED\",\"type\":\"KV\"}]}},"
        + "\"refreshScope\":{\"status\":\"UP\"},"
        + "\"livenessState\":{\"status\":\"UP\"},"
        + "\"readinessState\":{\"status\":\"UP\"},"
        + "\"ping\":{\"status\":\"UP\"},"
        + "\"ssl\":{\"status\":\"UP\",\"details\":{\"validChains\":[{\"alias\":\"server\","
        + "\"notAfter\":\"2027-06-30T23:59:59Z\"}],\"invalidChains\":[]}}"
        + "},\"groups\":[\"liveness\",\"readiness\"]}";
  }
}
