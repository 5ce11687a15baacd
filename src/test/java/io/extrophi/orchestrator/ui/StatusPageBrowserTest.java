package io.extrophi.orchestrator.ui;

import static io.extrophi.orchestrator.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.cluster.ClusterNode;
import io.extrophi.orchestrator.cluster.ClusterSettings;
import io.extrophi.orchestrator.cluster.HazelcastMembership;
import io.extrophi.orchestrator.cluster.HazelcastSetup;
import io.extrophi.orchestrator.testing.ApiClient;
import io.extrophi.orchestrator.testing.BrowserTest;
import io.extrophi.orchestrator.testing.HeadlessChromium;
import io.extrophi.orchestrator.testing.InProcessOrchestrator;
import io.extrophi.orchestrator.testing.NodeProcess;
import io.extrophi.orchestrator.testing.SpringActuatorDocuments;
import io.extrophi.orchestrator.testing.TargetServer;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.actuate.health.Health;

/**
 * The status page in a real headless Chromium, against the whole orchestrator probing real targets
 * on loopback: {@code writer} healthy, {@code research} healthy until a test makes it answer 503,
 * {@code backend} refusing connections (its circuit opens at once). {@code research} is checked
 * less often than the others, so that after its flip it stays unhealthy for several seconds before
 * its circuit opens too. Every wait is bounded and only bounds a failing test; nothing depends on
 * how fast the machine is.
 */
@BrowserTest
class StatusPageBrowserTest {

  /** Generous: a loaded build machine, and the page's statistics arrive every 5 s. */
  private static final Duration WAIT = Duration.ofSeconds(45);

  private static HeadlessChromium chromium;

  @TempDir Path configDir;

  private Vertx vertx;
  private TargetServer writer;
  private TargetServer research;
  private Path services;
  private int backendPort;
  private Map<String, String> environment;
  private InProcessOrchestrator orchestrator;
  private int port;

  @BeforeAll
  static void startBrowser() throws IOException {
    chromium = HeadlessChromium.start();
  }

  @AfterAll
  static void quitBrowser() {
    if (chromium != null) {
      chromium.close();
    }
  }

  @BeforeEach
  void startOrchestrator() throws Exception {
    vertx = Vertx.vertx();
    writer = await(TargetServer.start(vertx));
    research = await(TargetServer.start(vertx));
    services = configDir.resolve("services.yaml");
    backendPort = NodeProcess.freePort();
    writeServices(writer.url());
    environment =
        Map.of(
            "SERVICES_FILE", services.toString(),
            "HEALTH_CHECK_INTERVAL", "0.3",
            "HEALTH_CHECK_TIMEOUT", "2",
            "CIRCUIT_BREAKER_THRESHOLD", "4",
            "CIRCUIT_BREAKER_RESET_TIMEOUT", "600");
    port = deploy(environment);
  }

  private void writeServices(String writerUrl) throws IOException {
    Files.writeString(
        services,
        "services:\n"
            + "  - name: writer\n    url: "
            + writerUrl
            + "\n  - name: research\n    url: "
            + research.url()
            + "\n    interval: 2\n"
            + "  - name: backend\n    url: http://127.0.0.1:"
            + backendPort
            + "/health\n");
  }

  @AfterEach
  void stopOrchestrator() throws Exception {
    if (vertx != null) {
      await(vertx.close());
    }
  }

  @Test
  void showsEveryServiceWithItsFiguresAndATargetGoingDownWithoutAReload() throws IOException {
    chromium.resizeViewport(1280, 900);
    openPage();
    waitForHealth("writer", "Healthy", "health-healthy");
    waitForHealth("research", "Healthy", "health-healthy");
    waitForHealth("backend", "Circuit open", "health-circuit_open");
    chromium.script("window.__loadedOnce = 1");

    assertThat(field("writer", "name").getText()).isEqualTo("writer");
    waitForText(field("writer", "availability-1h"), "100%");
    assertThat(field("writer", "p50").getText()).matches("[0-9.]+ ms");
    assertThat(field("writer", "p99").getText()).matches("[0-9.]+ ms");
    assertThat(field("writer", "circuit").getText()).isEqualTo("closed");
    assertThat(field("writer", "last-check").getAttribute("datetime")).isNotBlank();
    assertThat(field("backend", "circuit").getText()).isEqualTo("open");
    assertThat(field("backend", "error").getText()).isEqualTo("connection refused");
    assertThat(field("backend", "availability-1h").getText()).isEqualTo("0%");
    waitFor(By.cssSelector("[data-service='writer'] [data-field='sparkline'] path.spark-line"));
    assertThat(page("overall").getText()).isEqualTo("Degraded");
    // What each card probes: host and path, the whole redacted URL and timing on hover.
    waitForText(field("writer", "target-host"), "127.0.0.1:" + writer.port());
    assertThat(field("writer", "target-path").getText()).isEqualTo("/health");
    assertThat(field("writer", "target").getAttribute("title"))
        .isEqualTo("GET " + writer.url() + " every 0.3 s, timeout 2 s");
    assertThat(field("backend", "target-host").getText()).isEqualTo("127.0.0.1:" + backendPort);
    assertThat(page("config-banner").isDisplayed()).isFalse();
    assertThat(page("cluster-banner").isDisplayed()).isFalse();
    assertThat(page("cluster").isDisplayed()).isFalse();

    research.respondWith(503);

    waitForHealth("research", "Unhealthy", "health-unhealthy");
    assertThat(field("research", "error").getText()).isEqualTo("HTTP 503");
    assertThat(field("writer", "health").getText()).isEqualTo("Healthy");
    assertThat(chromium.script("return window.__loadedOnce")).isEqualTo(1L);
    chromium.screenshot("status-page-desktop");

    // The circuit opens a few failures later, again without a reload.
    waitForHealth("research", "Circuit open", "health-circuit_open");
    waitForText(field("research", "circuit"), "open");
    waitForText(page("count-circuit_open"), "2 circuit open");
    // Statistics and the chart follow from the stream's periodic snapshots.
    waitFor(By.cssSelector("[data-service='research'] [data-field='sparkline'] rect.spark-fail"));
    new WebDriverWait(chromium.driver(), WAIT)
        .until(driver -> field("research", "availability-1h").getText().matches("[0-9.]+%"));
    assertThat(field("research", "availability-1h").getText()).isNotEqualTo("100%");
    assertThat(chromium.script("return window.__loadedOnce")).isEqualTo(1L);
    assertThat(page("connection").getAttribute("data-state")).isEqualTo("live");
    assertThat(page("connection-banner").isDisplayed()).isFalse();
    assertThat(chromium.consoleErrors()).isEmpty();
  }

  @Test
  void aWarningIsAmberAndTheComponentsAreListed() throws Exception {
    SpringActuatorDocuments.Document warns =
        SpringActuatorDocuments.application()
            .with("db", Health.up().build())
            .with("diskSpace", Health.outOfService().build())
            .document();
    writer.respondWith(warns.statusCode(), warns.body());
    openPage();
    waitForHealth("writer", "Healthy", "health-healthy");
    waitForText(field("writer", "components"), "diskSpace: OUT_OF_SERVICE");
    assertThat(field("writer", "components").getText()).contains("db: UP");
    // The chips may come first, from the stream's component events; the amber follows.
    new WebDriverWait(chromium.driver(), WAIT)
        .until(
            ExpectedConditions.attributeContains(
                By.cssSelector("article[data-service='writer']"), "class", "reported-warn"));
    assertThat(field("research", "components").isDisplayed()).isFalse();
    assertThat(chromium.consoleErrors()).isEmpty();
  }

  @Test
  void aComponentGoingDownAndAWarningChangeTheCardFromTheStreamAlone() throws Exception {
    SpringActuatorDocuments.Document up =
        SpringActuatorDocuments.application()
            .with("db", Health.up().build())
            .with("diskSpace", Health.up().build())
            .document();
    SpringActuatorDocuments.Document dbDown =
        SpringActuatorDocuments.application()
            .with("db", Health.down(new ConnectException("Connection refused")).build())
            .with("diskSpace", Health.up().build())
            .document();
    SpringActuatorDocuments.Document warns =
        SpringActuatorDocuments.application()
            .with("db", Health.up().build())
            .with("diskSpace", Health.outOfService().build())
            .document();
    writer.respondWith(up.statusCode(), up.body());
    // Only the stream's first snapshot reaches the page: every later change of the card must
    // come from the events (the periodic snapshots would otherwise bring it within 5 s).
    String withholdLaterSnapshots =
        "window.__withheldSnapshots = 0;"
            + "const NativeEventSource = window.EventSource;"
            + "window.EventSource = class extends NativeEventSource {"
            + "  addEventListener(type, listener, options) {"
            + "    if (type !== 'snapshot') { return super.addEventListener(type, listener, options); }"
            + "    let seen = 0;"
            + "    return super.addEventListener(type, (event) => {"
            + "      if (seen++ === 0) { listener(event); } else { window.__withheldSnapshots += 1; }"
            + "    }, options);"
            + "  }"
            + "};";
    Object script =
        chromium
            .driver()
            .executeCdpCommand(
                "Page.addScriptToEvaluateOnNewDocument", Map.of("source", withholdLaterSnapshots))
            .get("identifier");
    try {
      openPage();
      waitForHealth("writer", "Healthy", "health-healthy");
      waitForText(field("writer", "components"), "db: UP");
      chromium.script("window.__loadedOnce = 1");
      By card = By.cssSelector("article[data-service='writer']");
      By dbChip =
          By.cssSelector("[data-service='writer'] [data-field='components'] [data-component='db']");

      // A warning keeps the service healthy; the card turns amber from the stream's event.
      writer.respondWith(warns.statusCode(), warns.body());

      new WebDriverWait(chromium.driver(), WAIT)
          .until(ExpectedConditions.attributeContains(card, "class", "reported-warn"));
      waitForText(field("writer", "components"), "diskSpace: OUT_OF_SERVICE");
      assertThat(chromium.driver().findElement(dbChip).getText()).isEqualTo("db: UP");

      // The document's db goes down (and takes the service with it; its circuit may then open).
      writer.respondWith(dbDown.statusCode(), dbDown.body());

      new WebDriverWait(chromium.driver(), WAIT)
          .until(ExpectedConditions.textToBe(dbChip, "db: DOWN"));
      WebElement chip = chromium.driver().findElement(dbChip);
      assertThat(chip.getAttribute("class")).contains("component-fail");
      assertThat(chip.getAttribute("title")).contains("Connection refused");
      waitForText(field("writer", "components"), "diskSpace: UP");
      new WebDriverWait(chromium.driver(), WAIT)
          .until(
              ExpectedConditions.not(
                  ExpectedConditions.attributeContains(card, "class", "reported-warn")));
      assertThat(chromium.script("return window.__loadedOnce")).isEqualTo(1L);
      assertThat(chromium.consoleErrors()).isEmpty();
    } finally {
      chromium
          .driver()
          .executeCdpCommand(
              "Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", script));
    }
  }

  @Test
  void groupsARootCauseWithTheServicesItTookDown() throws Exception {
    // writer depends on backend, which nothing answers: once writer fails too, backend is why.
    Files.writeString(
        services,
        "services:\n  - name: writer\n    url: "
            + writer.url()
            + "\n    depends_on: [backend]\n  - name: research\n    url: "
            + research.url()
            + "\n  - name: backend\n    url: http://127.0.0.1:"
            + backendPort
            + "/health\n");
    chromium.resizeViewport(1280, 900);
    openPage();
    waitForHealth("backend", "Circuit open", "health-circuit_open");
    waitForHealth("writer", "Healthy", "health-healthy");
    assertThat(field("writer", "root-cause").isDisplayed()).isFalse();

    writer.respondWith(503);

    waitForText(field("writer", "root-cause"), "Taken down by backend");
    new WebDriverWait(chromium.driver(), WAIT)
        .until(
            driver ->
                List.of("research", "backend", "writer")
                    .equals(
                        chromium.script(
                            "return [...document.querySelectorAll('article[data-service]')]"
                                + ".map(card => card.dataset.service)")));
    assertThat(cardClasses("writer")).contains("taken-down");
    assertThat(field("backend", "root-cause").isDisplayed()).isFalse();
    assertThat(field("research", "root-cause").isDisplayed()).isFalse();
    chromium.screenshot("status-page-root-cause");
    assertThat(chromium.consoleErrors()).isEmpty();
  }

  @Test
  void showsTheLostConnectionAndRecoversWithoutAReload() throws Exception {
    chromium.resizeViewport(1280, 900);
    openPage();
    waitForHealth("writer", "Healthy", "health-healthy");
    waitForText(page("connection"), "Live");
    chromium.script("window.__loadedOnce = 1");
    assertThat(page("connection-banner").isDisplayed()).isFalse();

    await(orchestrator.stop());

    new WebDriverWait(chromium.driver(), WAIT)
        .until(ExpectedConditions.visibilityOf(page("connection-banner")));
    assertThat(page("connection-banner").getText()).contains("Connection lost");
    assertThat(page("connection").getAttribute("data-state")).isEqualTo("lost");
    chromium.screenshot("status-page-connection-lost");

    // The same address again: the page's EventSource reconnects by itself.
    Map<String, String> samePort = new HashMap<>(environment);
    samePort.put("HTTP_PORT", Integer.toString(port));
    deploy(samePort);

    new WebDriverWait(chromium.driver(), WAIT)
        .until(ExpectedConditions.invisibilityOf(page("connection-banner")));
    waitForText(page("connection"), "Live");
    waitForHealth("writer", "Healthy", "health-healthy");
    assertThat(chromium.script("return window.__loadedOnce")).isEqualTo(1L);
  }

  /**
   * A services file that the orchestrator rejects is announced on the page (it used to stay green
   * and "Live"), and a fixed file that changes a URL shows the new target, redacted.
   */
  @Test
  void showsARejectedConfigurationUntilItIsFixedAndTheNewTarget() throws Exception {
    chromium.resizeViewport(1280, 900);
    openPage();
    waitForHealth("writer", "Healthy", "health-healthy");
    waitForText(field("writer", "target-path"), "/health");
    chromium.script("window.__loadedOnce = 1");
    ApiClient api = new ApiClient(vertx, port);

    Files.writeString(services, "services:\n  - name: Bad Name\n    url: http://127.0.0.1:1/\n");
    assertThat(await(api.send(HttpMethod.POST, "/config/reload")).statusCode()).isEqualTo(422);

    new WebDriverWait(chromium.driver(), WAIT)
        .until(ExpectedConditions.visibilityOf(page("config-banner")));
    assertThat(page("config-banner").getText())
        .contains("Configuration change rejected")
        .contains("services[0].name");
    chromium.screenshot("status-page-config-error");

    writeServices("http://probe:pw@127.0.0.1:" + writer.port() + "/ready?token=abc");
    assertThat(await(api.send(HttpMethod.POST, "/config/reload")).statusCode()).isEqualTo(200);

    new WebDriverWait(chromium.driver(), WAIT)
        .until(ExpectedConditions.invisibilityOf(page("config-banner")));
    waitForText(field("writer", "target-path"), "/ready");
    assertThat(field("writer", "target-host").getText()).isEqualTo("127.0.0.1:" + writer.port());
    assertThat(field("writer", "target").getAttribute("title"))
        .contains("http://***@127.0.0.1:" + writer.port() + "/ready?token=***")
        .doesNotContain("pw", "abc");
    assertThat(chromium.script("return window.__loadedOnce")).isEqualTo(1L);
    assertThat(chromium.consoleErrors()).isEmpty();
    api.close();
  }

  /**
   * A node of a cluster whose quorum it cannot reach (here: alone, with a quorum of 2) stops
   * probing and serves its last snapshot; the page says so instead of looking live and well.
   */
  @Test
  void showsADegradedClusterNode() throws Exception {
    await(orchestrator.stop());
    int hazelcastPort = NodeProcess.freePort();
    ClusterSettings settings =
        ClusterSettings.from(
            Map.of(
                "CLUSTER_NAME",
                "ui-test-" + hazelcastPort,
                "CLUSTER_HOST",
                "127.0.0.1",
                "CLUSTER_PORT",
                Integer.toString(hazelcastPort),
                "CLUSTER_MEMBERS",
                "127.0.0.1:" + hazelcastPort,
                "CLUSTER_QUORUM",
                "2"),
            Map.of());
    HazelcastClusterManager manager =
        HazelcastSetup.clusterManager(settings, HazelcastSetup.ORCHESTRATOR_ROLE);
    VertxOptions options = new VertxOptions();
    options.getEventBusOptions().setHost("127.0.0.1").setPort(0);
    Vertx clustered =
        await(Vertx.builder().with(options).withClusterManager(manager).buildClustered());
    try {
      InProcessOrchestrator node =
          await(
              InProcessOrchestrator.on(clustered)
                  .set(environment)
                  .cluster(new ClusterNode(new HazelcastMembership(manager), settings.quorum()))
                  .start());
      chromium.resizeViewport(1280, 900);
      chromium.driver().get(node.baseUrl() + "/ui/");
      chromium.consoleErrors();

      new WebDriverWait(chromium.driver(), WAIT)
          .until(ExpectedConditions.visibilityOf(page("cluster-banner")));
      assertThat(page("cluster-banner").getText()).contains("Cluster degraded");
      waitForText(page("cluster"), "Cluster degraded · 1 node");
      waitForText(field("writer", "target-host"), "127.0.0.1:" + writer.port());
      chromium.screenshot("status-page-cluster-degraded");
      assertThat(chromium.consoleErrors()).isEmpty();
    } finally {
      await(clustered.close());
    }
  }

  @Test
  void fitsAPhoneScreenInOneColumn() throws IOException {
    chromium.resizeViewport(390, 844);
    try {
      openPage();
      waitForHealth("writer", "Healthy", "health-healthy");
      waitForHealth("backend", "Circuit open", "health-circuit_open");
      waitForText(field("writer", "availability-1h"), "100%");

      assertThat(((Number) chromium.script("return window.innerWidth")).intValue())
          .isLessThanOrEqualTo(420);
      Number overflow =
          (Number)
              chromium.script("return document.documentElement.scrollWidth - window.innerWidth");
      assertThat(overflow.intValue()).isLessThanOrEqualTo(0);
      List<WebElement> cards = chromium.driver().findElements(By.cssSelector("[data-service]"));
      assertThat(cards).hasSize(3);
      assertThat(cards)
          .extracting(card -> card.getRect().getX())
          .containsOnly(cards.get(0).getRect().getX());
      assertThat(chromium.consoleErrors()).isEmpty();
      chromium.screenshot("status-page-phone");
    } finally {
      chromium.resizeViewport(1280, 900);
    }
  }

  private void openPage() {
    chromium.driver().get("http://127.0.0.1:" + port + "/ui/");
    // Starts each test with an empty console, whatever the page before it logged.
    chromium.consoleErrors();
  }

  private WebElement field(String service, String field) {
    return chromium
        .driver()
        .findElement(
            By.cssSelector("[data-service='" + service + "'] [data-field='" + field + "']"));
  }

  /** The class attribute of a service's card: its health and how the page groups it. */
  private String cardClasses(String service) {
    return chromium
        .driver()
        .findElement(By.cssSelector("article[data-service='" + service + "']"))
        .getAttribute("class");
  }

  private WebElement page(String field) {
    return chromium.driver().findElement(By.cssSelector("[data-field='" + field + "']"));
  }

  private void waitFor(By locator) {
    new WebDriverWait(chromium.driver(), WAIT)
        .until(ExpectedConditions.presenceOfElementLocated(locator));
  }

  private void waitForText(WebElement element, String text) {
    new WebDriverWait(chromium.driver(), WAIT)
        .until(ExpectedConditions.textToBePresentInElement(element, text));
  }

  /** Waits until a card shows this health in words and as its class. */
  private void waitForHealth(String service, String label, String healthClass) {
    By card = By.cssSelector("[data-service='" + service + "']");
    By badge = By.cssSelector("[data-service='" + service + "'] [data-field='health']");
    new WebDriverWait(chromium.driver(), WAIT)
        .until(
            ExpectedConditions.and(
                ExpectedConditions.textToBe(badge, label),
                ExpectedConditions.attributeContains(card, "class", healthClass),
                ExpectedConditions.attributeContains(badge, "class", healthClass)));
  }

  private int deploy(Map<String, String> settings) throws Exception {
    orchestrator = await(InProcessOrchestrator.on(vertx).set(settings).start());
    return orchestrator.port();
  }
}
