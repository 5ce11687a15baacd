package io.extrophi.orchestrator.http;

import static io.extrophi.orchestrator.testing.Await.await;
import static io.extrophi.orchestrator.testing.JsonErrorAnswer.assertJsonError;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.ApiClient;
import io.extrophi.orchestrator.testing.InProcessOrchestrator;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.TargetServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How the status page's files are served: what a browser, a cache and a curious client get. What
 * the page shows is {@link io.extrophi.orchestrator.ui.StatusPageBrowserTest}'s part.
 */
@ExtendWith(VertxExtension.class)
@IntegrationTest
class StatusPageTest {

  /** The page and everything it loads. */
  private static final List<String> PAGE_FILES = List.of("/ui/", "/ui/app.js", "/ui/style.css");

  private ApiClient api;

  @BeforeEach
  void startOrchestrator(Vertx vertx) throws Exception {
    TargetServer target = await(TargetServer.start(vertx));
    api = await(InProcessOrchestrator.on(vertx).monitoring(target.url()).start()).api();
  }

  @Test
  void uiRedirectsToThePageWithATrailingSlashByARelativeLocation() throws Exception {
    HttpResponse<Buffer> response = await(api.get("/ui"));

    assertThat(response.statusCode()).isEqualTo(302);
    // Resolved against /ui, "ui/" is /ui/ (and /prefix/ui/ behind a proxy).
    assertThat(response.getHeader("location")).isEqualTo("ui/");
  }

  @Test
  void pageScriptAndStyleAreServedWithTheirTypesAndRevalidated() throws Exception {
    HttpResponse<Buffer> page = await(api.get("/ui/"));
    HttpResponse<Buffer> script = await(api.get("/ui/app.js"));
    HttpResponse<Buffer> style = await(api.get("/ui/style.css"));

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
  }

  @Test
  void anUnchangedFileAnswersNotModified() throws Exception {
    String lastModified = await(api.get("/ui/app.js")).getHeader("last-modified");

    HttpResponse<Buffer> response =
        await(api.send(HttpMethod.GET, "/ui/app.js", Map.of("If-Modified-Since", lastModified)));

    assertThat(response.statusCode()).isEqualTo(304);
    assertThat(response.body()).isNull();
  }

  @Test
  void thePageLoadsNothingFromAnotherOrigin() throws Exception {
    for (String file : PAGE_FILES) {
      assertThat(await(api.get(file)).bodyAsString())
          .as(file)
          .doesNotContainPattern("(src|href)=\"(https?:)?//")
          .doesNotContainPattern("url\\(\\s*['\"]?(https?:)?//")
          .doesNotContain("@import");
    }
  }

  @Test
  void anUnknownFileIsTheApisJsonNotFound() throws Exception {
    HttpResponse<Buffer> missing = await(api.get("/ui/missing.js"));

    assertThat(assertJsonError(missing, 404, "not_found"))
        .isEqualTo(
            new JsonObject()
                .put("error", "not_found")
                .put("message", "no resource at GET /ui/missing.js")
                .put("status", 404));
    assertThat(missing.getHeader("content-security-policy")).isNull();
    // The page's files are served from the class path's webroot/ui, which is no path of the API.
    assertJsonError(await(api.get("/ui/webroot/ui/index.html")), 404, "not_found");
  }

  @Test
  void headAnswersWithTheLengthOfGetAndNoBody() throws Exception {
    HttpResponse<Buffer> head = await(api.send(HttpMethod.HEAD, "/ui/"));
    HttpResponse<Buffer> page = await(api.get("/ui/"));

    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isNull();
    assertThat(head.getHeader("content-length")).isEqualTo(Integer.toString(page.body().length()));
    assertThat(head.getHeader("cache-control")).isEqualTo(StatusPage.CACHE_CONTROL);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"POST, /ui", "DELETE, /ui/app.js"})
  void writesAreNotAllowedAndTheAllowHeaderSaysWhatIs(String method, String path) throws Exception {
    HttpResponse<Buffer> response = await(api.send(HttpMethod.valueOf(method), path));

    assertJsonError(response, 405, "method_not_allowed");
    assertThat(response.getHeader("allow")).isEqualTo("GET, HEAD");
  }
}
