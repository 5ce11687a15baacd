package io.extrophi.orchestrator.probe;

import io.extrophi.orchestrator.config.ConnectionMode;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.config.ServiceDefinition;
import io.extrophi.orchestrator.config.ServiceTls;
import io.extrophi.orchestrator.config.TlsEngine;
import io.extrophi.orchestrator.config.UrlHost;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.PemTrustOptions;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP clients the probes use, one per connection mode and way of checking certificates (both
 * are client settings), sized from the configuration and re-sized on every reload.
 *
 * <p><b>Sizing ({@code reuse}).</b> A service has at most one probe in flight, so it never holds
 * more than one connection: its share. Each client's pool has room, per host and port, for every
 * service behind that host and port (never more than {@code MAX_IN_FLIGHT_PROBES}, which caps the
 * probes in flight anyway). So services that hang hold only their own connections until their
 * timeouts, and healthy services behind the same gateway never wait for one of theirs. A reload
 * that changes the size (or the maximum age) replaces the client; the old one finishes the probes
 * it carries and closes.
 *
 * <p><b>Modes.</b> {@link ConnectionMode#FRESH}: every probe opens a connection of its own, outside
 * any pool ({@link #connect}), and closes it after the response; the in-flight cap bounds them.
 * {@link ConnectionMode#REUSE}: a pool of kept-alive connections, sized as above, none older than
 * {@code PROBE_CONNECTION_MAX_AGE}.
 *
 * <p>Not thread-safe: used from the event loop of the probe verticle.
 */
public final class ProbeClients {

  static final String USER_AGENT = "orchestrator/0.1.0";

  /** The clients' settings besides the connection mode and TLS trust. */
  private record Sizing(int perEndpoint, Duration maxAge) {}

  /** What makes two services need different clients. */
  private record ClientKey(ConnectionMode mode, ServiceTls tls) {
    static ClientKey of(ServiceDefinition service) {
      return new ClientKey(service.connection(), service.tls());
    }
  }

  private record SizedClient(HttpClientAgent client, Sizing sizing) {}

  /** For fresh connections, and a service the configuration does not list (built by hand). */
  private static final Sizing UNCONFIGURED = new Sizing(1, Duration.ofSeconds(60));

  /** A cleaner period of 0 starts no cleaner timer. */
  static final int NO_CLEANER = 0;

  private final Vertx vertx;
  private final ConnectionWaits waits = new ConnectionWaits();
  private final Map<ClientKey, SizedClient> clients = new HashMap<>();
  private final List<Future<Void>> retiring = new ArrayList<>();
  private Map<ClientKey, Sizing> sizing;
  private TlsEngine tlsEngine;

  /** Sized for {@code config}; clients are created on first use. */
  public ProbeClients(Vertx vertx, OrchestratorConfig config) {
    this.vertx = vertx;
    this.sizing = sizingOf(config);
    this.tlsEngine = ProbeTls.resolve(config.runtime().tlsEngine());
  }

  /** The TLS engine the {@code https} probes use: {@code PROBE_TLS_ENGINE} as resolved here. */
  public TlsEngine tlsEngine() {
    return tlsEngine;
  }

  Vertx vertx() {
    return vertx;
  }

  /** How long probes waited for their connections. */
  public ConnectionWaits waits() {
    return waits;
  }

  /**
   * A new connection of its own for one probe of a {@link ConnectionMode#FRESH} service, outside
   * any pool: the probe closes it when done. Such connections need no pool size; the in-flight cap
   * (which follows every reload) bounds them.
   *
   * @param target from {@link #connectOptions}, made once per service
   */
  Future<HttpClientConnection> connect(ServiceDefinition service, HttpConnectOptions target) {
    return clientFor(service).connect(target);
  }

  /** Where a fresh connection of {@code service} goes, with its deadline to connect. */
  static HttpConnectOptions connectOptions(ServiceDefinition service) {
    URI uri = URI.create(service.url());
    boolean tls = "https".equalsIgnoreCase(uri.getScheme());
    String host = UrlHost.of(uri).orElse("");
    // An IPv6 literal comes bracketed from the URL; the socket wants it bare.
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new HttpConnectOptions()
        .setHost(host)
        .setPort(uri.getPort() != -1 ? uri.getPort() : tls ? 443 : 80)
        .setSsl(tls)
        .setConnectTimeout(service.timeout().toMillis());
  }

  /** The client for the probes of {@code service}, sized for the current configuration. */
  HttpClientAgent clientFor(ServiceDefinition service) {
    ClientKey key = ClientKey.of(service);
    Sizing wanted = sizing.getOrDefault(key, UNCONFIGURED);
    SizedClient current = clients.get(key);
    if (current != null && current.sizing().equals(wanted)) {
      return current.client();
    }
    if (current != null) {
      retire(current.client());
    }
    HttpClientAgent client = create(key, wanted);
    clients.put(key, new SizedClient(client, wanted));
    return client;
  }

  /**
   * Follows a new configuration: a client whose pool size or maximum age changed is replaced at the
   * next probe that uses it; clients no one uses any more are closed.
   */
  public void follow(OrchestratorConfig config) {
    sizing = sizingOf(config);
    TlsEngine engine = ProbeTls.resolve(config.runtime().tlsEngine());
    boolean engineChanged = engine != tlsEngine;
    tlsEngine = engine;
    for (ClientKey key : List.copyOf(clients.keySet())) {
      if (engineChanged || !sizing.containsKey(key)) {
        retire(clients.remove(key).client());
      }
    }
  }

  /** The pool size per host and port of the client {@code service} uses; for tests and logs. */
  int poolSizeFor(ServiceDefinition service) {
    Sizing wanted = sizing.get(ClientKey.of(service));
    return wanted == null ? 1 : wanted.perEndpoint();
  }

  /** Closes every client, ending their connections. */
  public Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>(retiring);
    clients.values().forEach(sized -> closing.add(sized.client().close()));
    clients.clear();
    return Future.join(closing).mapEmpty();
  }

  // A replaced client still carries probes in flight: they finish (within their timeouts) before
  // it closes.
  private void retire(HttpClient client) {
    Future<Void> shutdown = client.shutdown(10, TimeUnit.MINUTES);
    retiring.add(shutdown);
    shutdown.onComplete(done -> retiring.remove(shutdown));
  }

  private HttpClientAgent create(ClientKey key, Sizing sized) {
    HttpClientOptions options =
        new HttpClientOptions().setKeepAlive(key.mode() == ConnectionMode.REUSE);
    if (key.mode() == ConnectionMode.REUSE) {
      // An idle connection is closed no later than its maximum age either.
      options.setKeepAliveTimeout((int) Math.max(1, sized.maxAge().toSeconds()));
    }
    ServiceTls tls = key.tls();
    options.setSslEngineOptions(ProbeTls.options(tlsEngine));
    if (tls.skipVerify()) {
      options.setTrustAll(true).setVerifyHost(false);
    } else if (tls.caFile() != null) {
      options.setTrustOptions(new PemTrustOptions().addCertPath(tls.caFile()));
    }
    return vertx.createHttpClient(
        options, poolOptions(key.mode(), sized.perEndpoint(), sized.maxAge()));
  }

  /** The pool of a client: its size per endpoint and, for reused connections, their retirement. */
  static PoolOptions poolOptions(ConnectionMode mode, int perEndpoint, Duration maxAge) {
    PoolOptions pool = new PoolOptions().setHttp1MaxSize(perEndpoint);
    if (mode == ConnectionMode.REUSE) {
      pool.setMaxLifetime((int) Math.min(Integer.MAX_VALUE, maxAge.toMillis()))
          .setMaxLifetimeUnit(TimeUnit.MILLISECONDS)
          // The pool retires expired connections on this period, so keep it well inside the age.
          .setCleanerPeriod((int) Math.max(100, Math.min(1_000, maxAge.toMillis() / 4)));
    } else {
      // Fresh connections never enter the pool (see connect), so there is nothing to clean: without
      // this the pool's cleaner would wake an event loop every second for nothing.
      pool.setCleanerPeriod(NO_CLEANER);
    }
    return pool;
  }

  /**
   * Per client: room for every service behind its busiest host and port, within the in-flight cap.
   */
  private static Map<ClientKey, Sizing> sizingOf(OrchestratorConfig config) {
    Map<ClientKey, Map<String, Integer>> servicesPerEndpoint = new HashMap<>();
    for (ServiceDefinition service : config.services()) {
      servicesPerEndpoint
          .computeIfAbsent(ClientKey.of(service), key -> new HashMap<>())
          .merge(endpointOf(service.url()), 1, Integer::sum);
    }
    int cap = config.runtime().maxInFlightProbes();
    Duration maxAge = config.runtime().connectionMaxAge();
    Map<ClientKey, Sizing> sizing = new HashMap<>();
    servicesPerEndpoint.forEach(
        (key, counts) -> {
          if (key.mode() == ConnectionMode.FRESH) {
            // Fresh connections are not pooled (see connect): the client never needs replacing.
            sizing.put(key, UNCONFIGURED);
            return;
          }
          int busiest = counts.values().stream().mapToInt(Integer::intValue).max().orElse(1);
          sizing.put(key, new Sizing(Math.max(1, Math.min(cap, busiest)), maxAge));
        });
    return sizing;
  }

  /** {@code scheme://host:port} of a URL, with the scheme's default port filled in. */
  static String endpointOf(String url) {
    URI uri = URI.create(url);
    String scheme = uri.getScheme() == null ? "http" : uri.getScheme().toLowerCase(Locale.ROOT);
    int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    return scheme + "://" + host + ":" + port;
  }
}
