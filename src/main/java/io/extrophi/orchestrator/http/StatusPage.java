package io.extrophi.orchestrator.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.MimeMapping;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * {@code GET /ui/}: the status page, static files from the classpath ({@value #WEB_ROOT}) that read
 * the API from the browser (the event stream, and {@code /health/history/{name}} for the charts'
 * first points). A file that is not there falls through to the router's JSON 404, like any unknown
 * path.
 */
final class StatusPage {

  /** Redirects to {@link #FILES}'s root, so that the page's relative links resolve under it. */
  static final String PATH = "/ui";

  static final String FILES = "/ui/*";

  static final String WEB_ROOT = "webroot/ui";

  private static final String INDEX_PAGE = "index.html";

  /**
   * The files are not fingerprinted, so a browser must revalidate them on every load (a cheap 304
   * thanks to {@code Last-Modified}) rather than keep an old script for a day after an upgrade.
   */
  static final String CACHE_CONTROL = "no-cache";

  /**
   * Everything the page needs comes from this origin; no inline script, no framing, no plugins.
   * {@code data:} images are the inline favicon.
   */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private final StaticHandler files =
      StaticHandler.create(WEB_ROOT)
          .setDirectoryListing(false)
          .setIncludeHidden(false)
          .setIndexPage(INDEX_PAGE);

  /**
   * {@code /ui} to {@code /ui/}. The location is relative ({@code ui/} from {@code /ui}), so the
   * redirect also holds behind a proxy that mounts the orchestrator under a prefix.
   */
  void redirect(RoutingContext ctx) {
    if (ctx.request().path().endsWith("/")) {
      // Vert.x matches an exact route with a trailing slash too: that is the page, next route.
      ctx.next();
      return;
    }
    ctx.response().setStatusCode(302).putHeader(HttpHeaders.LOCATION, "ui/").end();
  }

  /** Serves a file of the page, or passes the request on (to a 404) when there is none. */
  void serve(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    // Set last, so they replace the static handler's one-day max-age; a 404 stays the API's own.
    ctx.addHeadersEndHandler(
        ending -> {
          if (response.getStatusCode() < 400) {
            if (ctx.request().method() == HttpMethod.HEAD) {
              // The static handler answers HEAD before it sets the type its GET answer has.
              addContentType(ctx.normalizedPath(), response);
            }
            response
                .headers()
                .set(HttpHeaders.CACHE_CONTROL, CACHE_CONTROL)
                .set("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .set("X-Content-Type-Options", "nosniff")
                .set("Referrer-Policy", "no-referrer");
          }
        });
    files.handle(ctx);
  }

  /** The type the static handler gives the file at {@code path} (text in UTF-8). */
  private static void addContentType(String path, HttpServerResponse response) {
    if (response.headers().contains(HttpHeaders.CONTENT_TYPE)) {
      return;
    }
    String file = path.endsWith("/") ? INDEX_PAGE : path.substring(path.lastIndexOf('/') + 1);
    String type = MimeMapping.mimeTypeForFilename(file);
    if (type != null) {
      response.putHeader(
          HttpHeaders.CONTENT_TYPE, type.startsWith("text") ? type + ";charset=UTF-8" : type);
    }
  }
}
