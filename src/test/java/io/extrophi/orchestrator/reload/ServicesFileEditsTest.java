package io.extrophi.orchestrator.reload;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.ApiClient;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.WatchedFleet;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.nio.file.CopyOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The services file as editors, deploy scripts and Kubernetes really change it, with real deletes,
 * renames and symbolic links, on a running orchestrator: whatever happens on disk, whoever polls
 * the API never sees the built-in default services, a service of the fleet missing or a count going
 * backwards, and every finished edit is applied.
 */
@IntegrationTest
class ServicesFileEditsTest {

  private static final List<String> FLEET = WatchedFleet.names("f", 10);

  /** A pause between two writes of one save, well within the settle time. */
  private static final long HALF_WRITE_PAUSE_MS = 250;

  @TempDir Path dir;

  private Vertx vertx;
  private WatchedFleet fleet;
  private Path servicesFile;

  @BeforeEach
  void createVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    if (fleet != null) {
      fleet.close();
    }
    WatchedFleet.await(vertx.close());
  }

  /** Starts on {@code file} holding {@link #FLEET}, each service checked twice, sampling. */
  private void startOn(Path file, Path writeTo) throws IOException {
    servicesFile = file;
    fleet = new WatchedFleet(vertx, file, dir.resolve("data"));
    Files.writeString(writeTo, fleet.yaml(FLEET));
    fleet.start();
    fleet.checkedAtLeast(FLEET, 2);
    fleet.sample();
  }

  private void startOnPlainFile() throws IOException {
    Path file = dir.resolve("services.yaml");
    startOn(file, file);
  }

  private List<String> with(String... extra) {
    List<String> names = new ArrayList<>(FLEET);
    names.addAll(List.of(extra));
    return names;
  }

  private static Predicate<JsonObject> listed(String name) {
    return status -> status.getJsonObject("services").containsKey(name);
  }

  /** Waits until every service of the fleet was checked once more than now, then stops sampling. */
  private void settleAndStopSampling() {
    JsonObject now = fleet.statusUntil(status -> true);
    fleet.statusUntil(
        status ->
            FLEET.stream()
                .allMatch(
                    name ->
                        ApiClient.totalChecks(status, name) > ApiClient.totalChecks(now, name)));
    fleet.stopSampling();
  }

  private void settleAndReport(String scenario) {
    settleAndStopSampling();
    report(scenario);
  }

  /** Writes the fleet of {@code names} beside the services file, then renames it over it. */
  private void renameOver(String stagedName, List<String> names, CopyOption... options)
      throws IOException {
    Path staged = dir.resolve(stagedName);
    Files.writeString(staged, fleet.yaml(names));
    Files.move(staged, servicesFile, options);
  }

  private void report(String scenario) {
    List<String> anomalies = fleet.anomalies(FLEET);
    System.out.printf(
        "EDITS %s: %s; first: %s%n",
        scenario, fleet.summary(FLEET), anomalies.stream().limit(3).toList());
    assertThat(anomalies).isEmpty();
  }

  @Test
  void aDeletedFileKeepsTheFleetAndSaysSoUntilItComesBack() throws IOException {
    startOnPlainFile();
    String content = Files.readString(servicesFile);
    Files.delete(servicesFile);
    JsonObject missing =
        fleet.statusUntil(
            status ->
                status.containsKey("config_error")
                    || status.getJsonObject("services").containsKey("writer"));
    String metrics = fleet.get("/metrics").bodyAsString();
    HttpResponse<Buffer> reload = fleet.post("/config/reload");
    Files.writeString(servicesFile, content);
    fleet.statusUntil(status -> !status.containsKey("config_error") && listed("f10").test(status));
    settleAndStopSampling();

    System.out.println("EDITS deleted: status while missing: " + missing.encode());
    assertThat(missing.getJsonObject("services").fieldNames()).containsExactlyElementsOf(FLEET);
    assertThat(missing.getString("config_error"))
        .contains(servicesFile.toString())
        .contains("missing");
    assertThat(reload.statusCode()).isEqualTo(422);
    assertThat(reload.bodyAsJsonObject().getString("message")).contains("missing");
    assertThat(metrics).contains("orchestrator_config_error 1.0");
    assertThat(metrics).contains("orchestrator_config_reloads_rejected_total{reason=\"missing\"}");
    report("deleted and restored");
  }

  @Test
  void anEditorThatDeletesAndRewritesNeverShowsTheDefaults() throws Exception {
    startOnPlainFile();
    String content = Files.readString(servicesFile);
    for (int save = 0; save < 12; save++) {
      Files.delete(servicesFile);
      Thread.sleep(700);
      Files.writeString(servicesFile, content);
      Thread.sleep(300);
    }
    fleet.statusUntil(status -> !status.containsKey("config_error"));
    settleAndReport("12 saves deleting the file for 0.7 s");
  }

  @Test
  void vimStyleSavesAreApplied() throws Exception {
    startOnPlainFile();
    // Write a new file, then rename it over the original (vim's default on Linux).
    renameOver(".services.yaml.swp", with("f11"), StandardCopyOption.REPLACE_EXISTING);
    fleet.statusUntil(listed("f11"));
    // Rename the original to a backup, write the new file in two goes, drop the backup.
    Path backup = dir.resolve("services.yaml~");
    Files.move(servicesFile, backup);
    String next = fleet.yaml(with("f11", "f12"));
    Files.writeString(servicesFile, next.substring(0, next.length() / 2));
    Thread.sleep(HALF_WRITE_PAUSE_MS);
    Files.writeString(servicesFile, next.substring(next.length() / 2), StandardOpenOption.APPEND);
    Files.delete(backup);
    fleet.statusUntil(listed("f12"));
    settleAndReport("vim-style saves");
  }

  @Test
  void aFileRenamedOverTheOldOneIsApplied() throws IOException {
    startOnPlainFile();
    renameOver(
        "services.yaml.new",
        with("f11"),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
    fleet.statusUntil(listed("f11"));
    settleAndReport("rename over");
  }

  @Test
  void aKubernetesConfigMapSymlinkSwapIsApplied() throws IOException {
    Path configMap = Files.createDirectories(dir.resolve("configmap"));
    Path first = Files.createDirectories(configMap.resolve("..2026_12_06_10_00_00.000000001"));
    Files.createSymbolicLink(configMap.resolve("..data"), first.getFileName());
    Path link = configMap.resolve("services.yaml");
    Files.createSymbolicLink(link, Path.of("..data", "services.yaml"));
    startOn(link, first.resolve("services.yaml"));

    Path second = swapConfigMap(configMap, "..2026_12_06_10_05_00.000000002", with("f11"), first);
    fleet.statusUntil(listed("f11"));
    swapConfigMap(configMap, "..2026_12_06_10_10_00.000000003", FLEET, second);
    fleet.statusUntil(listed("f11").negate());
    settleAndReport("ConfigMap ..data swaps");
  }

  /** What the kubelet does: a new timestamped directory, a new link renamed over {@code ..data}. */
  private Path swapConfigMap(Path configMap, String version, List<String> names, Path old)
      throws IOException {
    Path next = Files.createDirectories(configMap.resolve(version));
    Files.writeString(next.resolve("services.yaml"), fleet.yaml(names));
    Path newLink = configMap.resolve("..data_tmp");
    Files.createSymbolicLink(newLink, next.getFileName());
    Files.move(
        newLink,
        configMap.resolve("..data"),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
    Files.delete(old.resolve("services.yaml"));
    Files.delete(old);
    return next;
  }

  @Test
  void aSwapToAFileOfTheSameSizeAndTimeIsNoticed() throws IOException {
    startOnPlainFile();
    FileTime before = Files.getLastModifiedTime(servicesFile);
    long size = Files.size(servicesFile);
    List<String> renamed = new ArrayList<>(FLEET.subList(0, 9));
    renamed.add("g10");
    Path staged = dir.resolve("services.yaml.new");
    Files.writeString(staged, fleet.yaml(renamed));
    Files.setLastModifiedTime(staged, before);
    assertThat(Files.size(staged)).isEqualTo(size);
    Files.move(staged, servicesFile, StandardCopyOption.REPLACE_EXISTING);
    assertThat(Files.getLastModifiedTime(servicesFile)).isEqualTo(before);

    fleet.statusUntil(listed("g10"));
    fleet.stopSampling();
    List<String> anomalies = fleet.anomalies(FLEET.subList(0, 9));
    System.out.println("EDITS same size and time: anomalies " + anomalies);
    assertThat(anomalies).isEmpty();
  }

  @Test
  void aHalfWrittenFileIsNotApplied() throws Exception {
    startOnPlainFile();
    String next = fleet.yaml(with("f11"));
    String firstFive = fleet.yaml(FLEET.subList(0, 5));
    // Written in place in two goes; the first is valid YAML on its own (five services).
    Files.writeString(servicesFile, firstFive);
    Thread.sleep(HALF_WRITE_PAUSE_MS);
    Files.writeString(servicesFile, next.substring(firstFive.length()), StandardOpenOption.APPEND);
    fleet.statusUntil(listed("f11"));
    settleAndReport("half-written file");
  }

  @Test
  void aServiceRemovedAndAddedAgainGetsItsStatisticsBack() throws IOException {
    startOnPlainFile();
    List<String> without = new ArrayList<>(FLEET);
    without.remove("f05");
    long checksBefore = ApiClient.totalChecks(fleet.statusUntil(status -> true), "f05");
    renameOver("next.yaml", without, StandardCopyOption.REPLACE_EXISTING);
    fleet.statusUntil(listed("f05").negate());
    renameOver("next.yaml", FLEET, StandardCopyOption.REPLACE_EXISTING);
    JsonObject back = fleet.statusUntil(listed("f05"));
    fleet.stopSampling();

    System.out.printf(
        "EDITS removed and re-added: f05 total_checks %d before, %d when back%n",
        checksBefore, ApiClient.totalChecks(back, "f05"));
    assertThat(ApiClient.totalChecks(back, "f05")).isGreaterThanOrEqualTo(checksBefore);
    List<String> others = new ArrayList<>(without);
    assertThat(fleet.anomalies(others)).isEmpty();
  }

  @Test
  void removedServicesGetTheirStatisticsBackAfterARestart() throws IOException {
    startOnPlainFile();
    List<String> without = new ArrayList<>(FLEET);
    without.removeAll(Set.of("f04", "f05"));
    JsonObject last = fleet.statusUntil(status -> true);
    renameOver("next.yaml", without, StandardCopyOption.REPLACE_EXISTING);
    fleet.statusUntil(listed("f04").negate().and(listed("f05").negate()));
    fleet.stop();

    // f04 is back in the file the restarted orchestrator reads; f05 comes back after it started.
    List<String> withF04 = new ArrayList<>(without);
    withF04.add("f04");
    Files.writeString(servicesFile, fleet.yaml(withF04));
    fleet.start();
    fleet.sample();
    JsonObject restarted = fleet.statusUntil(listed("f04"));
    renameOver("next.yaml", FLEET, StandardCopyOption.REPLACE_EXISTING);
    JsonObject readded = fleet.statusUntil(listed("f05"));
    fleet.stopSampling();

    System.out.printf(
        "EDITS across a restart: f04 %d before, %d after; f05 %d before, %d re-added%n",
        ApiClient.totalChecks(last, "f04"),
        ApiClient.totalChecks(restarted, "f04"),
        ApiClient.totalChecks(last, "f05"),
        ApiClient.totalChecks(readded, "f05"));
    assertThat(ApiClient.totalChecks(restarted, "f04"))
        .isGreaterThanOrEqualTo(ApiClient.totalChecks(last, "f04"));
    assertThat(ApiClient.totalChecks(readded, "f05"))
        .isGreaterThanOrEqualTo(ApiClient.totalChecks(last, "f05"));
    assertThat(fleet.anomalies(without)).isEmpty();
  }
}
