package io.extrophi.orchestrator.probe;

import static io.extrophi.orchestrator.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.extrophi.orchestrator.api.HealthChecker;
import io.extrophi.orchestrator.config.RuntimeSettings;
import io.extrophi.orchestrator.config.ServiceDefinition;
import io.extrophi.orchestrator.config.ServiceTls;
import io.extrophi.orchestrator.config.TlsEngine;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.LaterRounds;
import io.extrophi.orchestrator.testing.MonitoredTarget;
import io.extrophi.orchestrator.testing.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PfxOptions;
import java.net.Socket;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code https} targets with certificates a default client refuses: self-signed, and expired. By
 * default a probe verifies; {@code tls_ca_file} trusts a given authority; {@code tls_skip_verify}
 * accepts anything. The certificates are made by the JDK's keytool for 127.0.0.1.
 */
@IntegrationTest
class TlsTargetsTest {

  private static final String PASSWORD = "changeit";

  @TempDir static Path certificates;

  private static Path selfSigned;
  private static Path selfSignedPem;
  private static Path expired;
  private static Path authorityPem;

  private final Vertx vertx = Vertx.vertx();

  @BeforeAll
  static void makeCertificates() throws Exception {
    selfSigned = keystore("self-signed", "-validity", "30");
    selfSignedPem = exportPem("self-signed");
    // A certificate valid for one day, ten days ago, issued by an authority the probe trusts:
    // a trusted certificate that has expired (a self-signed one would be its own trust anchor,
    // whose dates are not checked).
    keystore("authority", "-ext", "bc:c", "-validity", "30");
    authorityPem = exportPem("authority");
    expired = keystore("expired", "-validity", "30");
    Path request = certificates.resolve("expired.csr");
    Path signed = certificates.resolve("expired-signed.pem");
    keytool("expired", "-certreq", "expired", "-file", request.toString());
    keytool(
        "authority",
        "-gencert",
        "authority",
        "-infile",
        request.toString(),
        "-outfile",
        signed.toString(),
        "-rfc",
        "-startdate",
        "-10d",
        "-validity",
        "1",
        "-ext",
        "SAN=dns:localhost,ip:127.0.0.1");
    keytool("expired", "-importcert", "authority", "-noprompt", "-file", authorityPem.toString());
    keytool("expired", "-importcert", "expired", "-noprompt", "-file", signed.toString());
  }

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  @Test
  void verifiesByDefaultTrustsAGivenAuthorityOrSkipsOnRequest() throws Exception {
    int trusted = httpsTarget(selfSigned);
    int stale = httpsTarget(expired);
    List<ServiceDefinition> services =
        List.of(
            service("default-verify", trusted, ServiceTls.VERIFY),
            service("ca-file", trusted, new ServiceTls(selfSignedPem.toString(), false)),
            service("skip-verify", trusted, new ServiceTls(null, true)),
            service("expired-ca-file", stale, new ServiceTls(authorityPem.toString(), false)),
            service("expired-skip", stale, new ServiceTls(null, true)));
    HealthChecker checker = checker(services, TlsEngine.DEFAULT);
    JsonObject round = await(checker.trigger()).getJsonObject("services");

    assertThat(health(round, "default-verify")).isEqualTo("unhealthy");
    assertThat(error(round, "default-verify"))
        .isEqualTo(
            "TLS: the certificate is not trusted (self-signed or unknown authority; set"
                + " tls_ca_file)");
    assertThat(health(round, "ca-file")).isEqualTo("healthy");
    assertThat(health(round, "skip-verify")).isEqualTo("healthy");
    assertThat(health(round, "expired-ca-file")).isEqualTo("unhealthy");
    assertThat(error(round, "expired-ca-file")).isEqualTo("TLS: the certificate has expired");
    assertThat(health(round, "expired-skip")).isEqualTo("healthy");
  }

  /**
   * Each engine probes a real HTTPS target, checks its certificate as the JDK's does (the same
   * verdicts and messages), and makes a full handshake on every fresh probe: the target's private
   * key signs each handshake, which a resumed session would skip, leaving an expired or rotated
   * certificate unseen.
   */
  @ParameterizedTest
  @EnumSource(
      value = TlsEngine.class,
      names = {"JDK", "OPENSSL"})
  void eachTlsEngineVerifiesAndMakesAFullHandshakeOnEveryFreshProbe(TlsEngine engine)
      throws Exception {
    AtomicInteger signatures = new AtomicInteger();
    int trusted = httpsTarget(countingSignatures(selfSigned, signatures));
    int stale = httpsTarget(new PfxOptions().setPath(expired.toString()).setPassword(PASSWORD));
    HealthChecker checker =
        checker(
            List.of(
                service("ca-file", trusted, new ServiceTls(selfSignedPem.toString(), false)),
                service("expired-ca-file", stale, new ServiceTls(authorityPem.toString(), false))),
            engine);
    int before = signatures.get();
    int rounds = 3;
    for (JsonObject round : await(LaterRounds.answersOf(checker, rounds))) {
      JsonObject services = round.getJsonObject("services");
      assertThat(health(services, "ca-file")).isEqualTo("healthy");
      assertThat(health(services, "expired-ca-file")).isEqualTo("unhealthy");
      assertThat(error(services, "expired-ca-file")).isEqualTo("TLS: the certificate has expired");
    }

    assertThat(signatures.get() - before).isGreaterThanOrEqualTo(rounds);
  }

  @Test
  void theBoringSslEngineLoadsHereAndAutoChoosesIt() {
    // Shipped for Linux x86-64, where the tests run: if it stops loading, the default falls back
    // to the JDK's TLS silently but for one log line, and the benchmark's figures no longer hold.
    assumeTrue(
        "Linux".equals(System.getProperty("os.name"))
            && "amd64".equals(System.getProperty("os.arch")));
    assertThat(ProbeTls.resolve(TlsEngine.AUTO)).isEqualTo(TlsEngine.OPENSSL);
    assertThat(ProbeTls.resolve(TlsEngine.JDK)).isEqualTo(TlsEngine.JDK);
  }

  /** The key of {@code keystore}, counting the handshakes it signs. */
  private static KeyCertOptions countingSignatures(Path keystore, AtomicInteger signatures)
      throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (var in = java.nio.file.Files.newInputStream(keystore)) {
      store.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory factory =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(store, PASSWORD.toCharArray());
    X509KeyManager keys = (X509KeyManager) factory.getKeyManagers()[0];
    return KeyCertOptions.wrap(
        new X509ExtendedKeyManager() {
          @Override
          public String[] getClientAliases(String keyType, Principal[] issuers) {
            return keys.getClientAliases(keyType, issuers);
          }

          @Override
          public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return keys.chooseClientAlias(keyType, issuers, socket);
          }

          @Override
          public String[] getServerAliases(String keyType, Principal[] issuers) {
            return keys.getServerAliases(keyType, issuers);
          }

          @Override
          public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return keys.chooseServerAlias(keyType, issuers, socket);
          }

          @Override
          public String chooseEngineServerAlias(
              String keyType, Principal[] issuers, SSLEngine engine) {
            return keys.chooseServerAlias(keyType, issuers, null);
          }

          @Override
          public X509Certificate[] getCertificateChain(String alias) {
            return keys.getCertificateChain(alias);
          }

          @Override
          public PrivateKey getPrivateKey(String alias) {
            signatures.incrementAndGet();
            return keys.getPrivateKey(alias);
          }
        });
  }

  /** A checker of {@code services} through {@code engine}, started; it triggers without a gap. */
  private HealthChecker checker(List<ServiceDefinition> services, TlsEngine engine)
      throws Exception {
    RuntimeSettings runtime =
        RuntimeSettings.inMemory().toBuilder()
            .triggerMinGap(Duration.ZERO)
            .tlsEngine(engine)
            .build();
    // The deadline covers connecting and the TLS handshake, slow on a loaded machine.
    return await(
        MonitoredTarget.checker(
            vertx,
            TestConfigs.builder(services, Duration.ofMinutes(10), Duration.ofSeconds(30))
                .runtime(runtime)
                .build()));
  }

  private static String health(JsonObject services, String name) {
    return services.getJsonObject(name).getString("health");
  }

  private static String error(JsonObject services, String name) {
    return services.getJsonObject(name).getString("error_message");
  }

  private static ServiceDefinition service(String name, int port, ServiceTls tls) {
    return ServiceDefinition.builder(name, "https://127.0.0.1:" + port + "/health")
        .interval(Duration.ofMinutes(10))
        .timeout(Duration.ofSeconds(30))
        .tls(tls)
        .build();
  }

  private int httpsTarget(Path keystore) throws Exception {
    return httpsTarget(new PfxOptions().setPath(keystore.toString()).setPassword(PASSWORD));
  }

  private int httpsTarget(KeyCertOptions key) throws Exception {
    HttpServer server =
        vertx
            .createHttpServer(new HttpServerOptions().setSsl(true).setKeyCertOptions(key))
            .requestHandler(request -> request.response().end("{\"status\":\"ok\"}"));
    return await(server.listen(0, "127.0.0.1")).actualPort();
  }

  private static Path keystore(String alias, String... validity) throws Exception {
    List<String> options =
        new java.util.ArrayList<>(
            List.of(
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype",
                "PKCS12",
                "-keypass",
                PASSWORD));
    options.addAll(List.of(validity));
    keytool(alias, "-genkeypair", alias, options.toArray(String[]::new));
    return certificates.resolve(alias + ".p12");
  }

  private static Path exportPem(String alias) throws Exception {
    Path pem = certificates.resolve(alias + ".pem");
    keytool(alias, "-exportcert", alias, "-rfc", "-file", pem.toString());
    return pem;
  }

  /**
   * Runs the JDK's keytool: {@code command} on the entry {@code alias} of the key store {@code
   * store.p12}, with {@code options}.
   */
  private static void keytool(String store, String command, String alias, String... options)
      throws Exception {
    List<String> line =
        new java.util.ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                command,
                "-alias",
                alias,
                "-keystore",
                certificates.resolve(store + ".p12").toString(),
                "-storepass",
                PASSWORD));
    line.addAll(List.of(options));
    run(line);
  }

  private static void run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
  }
}
