package io.extrophi.orchestrator.ui;

import static io.extrophi.orchestrator.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.BrowserTest;
import io.extrophi.orchestrator.testing.HeadlessChromium;
import io.extrophi.orchestrator.testing.InProcessOrchestrator;
import io.extrophi.orchestrator.testing.TargetServer;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The status page with 10,000 services in a real headless Chromium: it shows the fleet's counts,
 * keeps only the cards on screen in the page, and finds a service far down the list by search,
 * filter and scrolling. How soon the first cards show is printed, not asserted: the machine may be
 * busy.
 */
@BrowserTest
class StatusPageFleetBrowserTest {

  private static final int SERVICES = 10_000;

  /** Every this many services, one whose target refuses connections and has the tag {@code db}. */
  private static final int FAILING_EVERY = 50;

  /** Generous: 10,000 first probes and a 4 MB snapshot on a loaded build machine. */
  private static final Duration WAIT = Duration.ofSeconds(120);

  /** Far above what a page of a few dozen cards needs, far below one of 10,000 cards. */
  private static final long HEAP_LIMIT_BYTES = 256L * 1024 * 1024;

  @TempDir Path configDir;

  private Vertx vertx;
  private HeadlessChromium chromium;
  private int port;

  @BeforeEach
  void startOrchestratorWithTenThousandServices() throws Exception {
    vertx = Vertx.vertx();
    TargetServer target = await(TargetServer.start(vertx));
    String refused = TargetServer.unreachableUrl();
    StringBuilder yaml = new StringBuilder("services:\n");
    for (int i = 0; i < SERVICES; i++) {
      boolean failing = i % FAILING_EVERY == 0;
      yaml.append("  - name: ")
          .append(name(i))
          .append("\n    url: ")
          .append(failing ? refused : target.url())
          .append("\n    connection: reuse\n");
      if (failing) {
        yaml.append("    tags: [db]\n");
      }
    }
    Path services = configDir.resolve("services.yaml");
    Files.writeString(services, yaml);
    InProcessOrchestrator orchestrator =
        await(
            InProcessOrchestrator.on(vertx)
                .set("SERVICES_FILE", services.toString())
                .set("HEALTH_CHECK_INTERVAL", "600")
                .set("HEALTH_CHECK_TIMEOUT", "30")
                .start(),
            WAIT);
    port = orchestrator.port();
    chromium = HeadlessChromium.start();
  }

  @AfterEach
  void stop() throws Exception {
    if (chromium != null) {
      chromium.close();
    }
    if (vertx != null) {
      await(vertx.close());
    }
  }

  private static String name(int index) {
    return String.format("service-%05d", index);
  }

  @Test
  void tenThousandServicesShowOnlyTheCardsOnScreenAndAreFoundBySearchFilterAndScroll()
      throws Exception {
    chromium.resizeViewport(1280, 900);
    long opened = System.nanoTime();
    chromium.driver().get("http://127.0.0.1:" + port + "/ui/");
    chromium.consoleErrors();
    WebDriverWait wait = new WebDriverWait(chromium.driver(), WAIT);
    wait.until(
        ExpectedConditions.presenceOfElementLocated(
            By.cssSelector("[data-service='service-00000']")));
    long firstPaintMs = (System.nanoTime() - opened) / 1_000_000;
    wait.until(ExpectedConditions.textToBe(By.id("shown-count"), "10000 services"));
    Object marks =
        chromium.script(
            "return ['snapshot-received', 'first-cards'].map(name =>"
                + " Math.round(performance.getEntriesByName(name, 'mark')[0].startTime))");
    // Reported, not asserted: the first snapshot waits for the server (its first round of 10,000
    // probes on a busy machine); the page's own part is from the snapshot to the first cards.
    System.out.printf(
        "status page at %d services: first cards %d ms after opening; in the page: snapshot"
            + " received at / first cards at [ms since navigation] %s%n",
        SERVICES, firstPaintMs, marks);

    assertThat(renderedCards()).isBetween(1L, 200L);
    // The fleet summary counts every service, not only those on screen.
    // Summed in the page in one script: the chips are redrawn with every event.
    wait.until(
        driver ->
            ((Number)
                        chromium.script(
                            "return [...document.querySelectorAll('#counts [data-health]')]"
                                + ".reduce((sum, chip) => sum + parseInt(chip.textContent), 0)"))
                    .longValue()
                == SERVICES);

    // Search: a service far down the list.
    WebElement search = chromium.driver().findElement(By.id("search"));
    search.sendKeys("service-09876");
    wait.until(
        ExpectedConditions.presenceOfElementLocated(
            By.cssSelector("[data-service='service-09876']")));
    wait.until(ExpectedConditions.textToBe(By.id("shown-count"), "1 of 10000 services"));
    assertThat(renderedCards()).isEqualTo(1);
    search.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
    wait.until(ExpectedConditions.textToBe(By.id("shown-count"), "10000 services"));

    // Tag filter: the failing services, once their checks (and tags) are read.
    wait.until(
        driver -> !driver.findElements(By.cssSelector("#tag-filter option[value='db']")).isEmpty());
    new Select(chromium.driver().findElement(By.id("tag-filter"))).selectByValue("db");
    wait.until(
        ExpectedConditions.textToBe(
            By.id("shown-count"), (SERVICES / FAILING_EVERY) + " of 10000 services"));
    new Select(chromium.driver().findElement(By.id("tag-filter"))).selectByValue("");

    // Scrolling to the end brings the last service on screen, still with few cards in the page.
    chromium.script("window.scrollTo(0, document.documentElement.scrollHeight)");
    wait.until(
        ExpectedConditions.presenceOfElementLocated(
            By.cssSelector("[data-service='" + name(SERVICES - 1) + "']")));
    assertThat(renderedCards()).isBetween(1L, 200L);
    assertThat(chromium.driver().findElements(By.cssSelector("[data-service='service-00000']")))
        .isEmpty();

    Number heap = (Number) chromium.script("return performance.memory.usedJSHeapSize");
    System.out.printf(
        "status page at %d services: JS heap %d MB%n", SERVICES, heap.longValue() >> 20);
    assertThat(heap.longValue()).isLessThan(HEAP_LIMIT_BYTES);
    chromium.screenshot("status-page-10000-services");
    assertThat(chromium.consoleErrors()).isEmpty();
  }

  private long renderedCards() {
    return ((Number) chromium.script("return document.querySelectorAll('[data-service]').length"))
        .longValue();
  }
}
