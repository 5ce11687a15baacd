package io.extrophi.orchestrator.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver. Both paths are given to
 * Selenium explicitly, so Selenium Manager never runs (it would try to download a browser, and the
 * build machines have no internet). A missing browser fails the test that needs it, with the
 * command that installs it: a browser test that skips itself would prove nothing.
 */
public final class HeadlessChromium implements AutoCloseable {

  public static final Path BROWSER = Path.of("/usr/bin/chromium");
  public static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  /** Where screenshots go, for a person to look at after the build. */
  public static final Path SCREENSHOTS = Path.of("target", "ui-test");

  private static final Duration DRIVER_START_TIMEOUT = Duration.ofSeconds(60);

  private final ChromeDriver driver;
  private final Path profile;

  private HeadlessChromium(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  /** Starts a browser with a fresh profile and a 1280×900 window. */
  public static HeadlessChromium start() throws IOException {
    requireInstalled();
    System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, DRIVER.toString());
    Path profile = Files.createTempDirectory("orchestrator-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--window-size=1280,900",
        "--user-data-dir=" + profile);
    // The page's console, so a test can tell a script error or a blocked resource.
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(DRIVER.toFile())
            .usingAnyFreePort()
            .withTimeout(DRIVER_START_TIMEOUT)
            .withSilent(true)
            .build();
    try {
      return new HeadlessChromium(new ChromeDriver(service, options), profile);
    } catch (RuntimeException failure) {
      deleteTree(profile);
      throw failure;
    }
  }

  private static void requireInstalled() {
    List<String> missing = new ArrayList<>();
    for (Path program : List.of(BROWSER, DRIVER)) {
      if (!Files.isExecutable(program)) {
        missing.add(program.toString());
      }
    }
    if (!missing.isEmpty()) {
      throw new AssertionError(
          "the browser tests need "
              + String.join(" and ", missing)
              + ": run `apt-get install -y chromium chromium-driver` (.ci/run does)");
    }
  }

  public ChromeDriver driver() {
    return driver;
  }

  /** Sets the size of the page's viewport (not the window's, which adds its frame). */
  public void resizeViewport(int width, int height) {
    driver.manage().window().setSize(new Dimension(width, height));
    Number innerWidth = (Number) script("return window.innerWidth");
    Number innerHeight = (Number) script("return window.innerHeight");
    driver
        .manage()
        .window()
        .setSize(
            new Dimension(2 * width - innerWidth.intValue(), 2 * height - innerHeight.intValue()));
  }

  /**
   * The console's errors since the last call: script exceptions, failed loads and Content Security
   * Policy violations.
   */
  public List<String> consoleErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .toList();
  }

  public Object script(String javascript, Object... arguments) {
    return ((JavascriptExecutor) driver).executeScript(javascript, arguments);
  }

  /** Saves a PNG of the viewport as {@code target/ui-test/<name>.png}. */
  public Path screenshot(String name) throws IOException {
    File shot = driver.getScreenshotAs(OutputType.FILE);
    Files.createDirectories(SCREENSHOTS);
    Path saved = SCREENSHOTS.resolve(name + ".png");
    Files.copy(shot.toPath(), saved, StandardCopyOption.REPLACE_EXISTING);
    Files.deleteIfExists(shot.toPath());
    return saved;
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      deleteTree(profile);
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException failure) {
      throw new UncheckedIOException(failure);
    }
  }
}
