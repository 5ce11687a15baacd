package io.extrophi.orchestrator.http;

import static io.extrophi.orchestrator.testing.Await.await;
import static io.extrophi.orchestrator.testing.Checked.thenComplete;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.ApiClient;
import io.extrophi.orchestrator.testing.InProcessOrchestrator;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.TargetServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How the status page's files are served: what a browser, a cache and a curious client get. What
 * the page shows is {@link io.extrophi.orchestrator.ui.StatusPageBrowserTest}'s part.
 */
@ExtendWith(VertxExtension.class)
@IntegrationTest
class StatusPageTest {

  private ApiClient api;

  @BeforeEach
  void startOrchestrator(Vertx vertx) throws Exception {
    TargetServer target = await(TargetServer.start(vertx));
    api = await(InProcessOrchestrator.on(vertx).monitoring(target.url()).start()).api();
  }

  @Test
  void uiRedirectsToThePageWithATrailingSlashByARelativeLocation(VertxTestContext test) {
    api.get("/ui")
        .onComplete(
            thenComplete(
                test,
                response -> {
                  assertThat(response.statusCode()).isEqualTo(302);
                  // Resolved against /ui, "ui/" is /ui/ (and /prefix/ui/ behind a proxy).
                  assertThat(response.getHeader("location")).isEqualTo("ui/");
                }));
  }

  @Test
  void pageScriptAndStyleAreServedWithTheirTypesAndRevalidated(VertxTestContext test) {
    Future.all(api.get("/ui/"), api.get("/ui/app.js"), api.get("/ui/style.css"))
        .onComplete(
            thenComplete(
                test,
                all -> {
                  HttpResponse<Buffer> page = all.resultAt(0);
                  HttpResponse<Buffer> script = all.resultAt(1);
                  HttpResponse<Buffer> style = all.resultAt(2);
                  assertThat(page.statusCode()).isEqualTo(200);
                  assertThat(page.getHeader("content-type")).startsWith("text/html");
                  assertThat(page.bodyAsString())
                      .contains("<script src=\"app.js\" defer></script>")
                      .contains("href=\"style.css\"");
                  assertThat(script.getHeader("content-type")).startsWith("text/javascript");
                  assertThat(style.getHeader("content-type")).startsWith("text/css");
                  for (HttpResponse<Buffer> file : List.of(page, script, style)) {
                    assertThat(file.getHeader("cache-control")).isEqualTo(StatusPage.CACHE_CONTROL);
                    assertThat(file.getHeader("last-modified")).isNotBlank();
                    assertThat(file.getHeader("content-security-policy"))
                        .isEqualTo(StatusPage.CONTENT_SECURITY_POLICY);
                    assertThat(file.getHeader("x-content-type-options")).isEqualTo("nosniff");
                  }
                }));
  }

  @Test
  void anUnchangedFileAnswersNotModified(VertxTestContext test) {
    api.get("/ui/app.js")
        .compose(
            first ->
                api.send(
                    HttpMethod.GET,
                    "/ui/app.js",
                    Map.of("If-Modified-Since", first.getHeader("last-modified"))))
        .onComplete(
            thenComplete(
                test,
                response -> {
                  assertThat(response.statusCode()).isEqualTo(304);
                  assertThat(response.body()).isNull();
                }));
  }

  @Test
  void thePageLoadsNothingFromAnotherOrigin(VertxTestContext test) {
    Future.all(api.get("/ui/"), api.get("/ui/app.js"), api.get("/ui/style.css"))
        .onComplete(
            thenComplete(
                test,
                all -> {
                  for (int i = 0; i < all.size(); i++) {
                    String text = ((HttpResponse<?>) all.resultAt(i)).bodyAsString();
                    assertThat(text)
                        .doesNotContainPattern("(src|href)=\"(https?:)?//")
                        .doesNotContainPattern("url\\(\\s*['\"]?(https?:)?//")
                        .doesNotContain("@import");
                  }
                }));
  }

  @Test
  void anUnknownFileIsTheApisJsonNotFound(VertxTestContext test) {
    Future.all(api.get("/ui/missing.js"), api.get("/ui/webroot/ui/index.html"))
        .onComplete(
            thenComplete(
                test,
                all -> {
                  HttpResponse<Buffer> missing = all.resultAt(0);
                  assertThat(missing.statusCode()).isEqualTo(404);
                  assertThat(missing.getHeader("content-type")).isEqualTo("application/json");
                  assertThat(missing.bodyAsJsonObject())
                      .isEqualTo(
                          new JsonObject()
                              .put("error", "not_found")
                              .put("message", "no resource at GET /ui/missing.js")
                              .put("status", 404));
                  assertThat(missing.getHeader("content-security-policy")).isNull();
                  assertThat(((HttpResponse<?>) all.resultAt(1)).statusCode()).isEqualTo(404);
                }));
  }

  @Test
  void headAnswersWithTheLengthOfGetAndNoBody(VertxTestContext test) {
    Future.all(api.send(HttpMethod.HEAD, "/ui/"), api.get("/ui/"))
        .onComplete(
            thenComplete(
                test,
                all -> {
                  HttpResponse<Buffer> head = all.resultAt(0);
                  HttpResponse<Buffer> page = all.resultAt(1);
                  assertThat(head.statusCode()).isEqualTo(200);
                  assertThat(head.body()).isNull();
                  assertThat(head.getHeader("content-length"))
                      .isEqualTo(Integer.toString(page.body().length()));
                  assertThat(head.getHeader("cache-control")).isEqualTo(StatusPage.CACHE_CONTROL);
                }));
  }

  @Test
  void writesAreNotAllowedAndTheAllowHeaderSaysWhatIs(VertxTestContext test) {
    Future.all(api.send(HttpMethod.POST, "/ui"), api.send(HttpMethod.DELETE, "/ui/app.js"))
        .onComplete(
            thenComplete(
                test,
                all -> {
                  for (int i = 0; i < all.size(); i++) {
                    HttpResponse<?> response = all.resultAt(i);
                    assertThat(response.statusCode()).isEqualTo(405);
                    assertThat(response.getHeader("allow")).isEqualTo("GET, HEAD");
                    assertThat(response.bodyAsJsonObject().getString("error"))
                        .isEqualTo("method_not_allowed");
                  }
                }));
  }
}
