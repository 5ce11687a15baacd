package io.extrophi.orchestrator.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's paths, the methods each answers and their handlers, put into a router with what every
 * route shares: HEAD answered like GET, and every error (404, 405 with its {@code Allow} header,
 * the router's own 400) in the one JSON error shape.
 */
final class RouteTable {

  private static final Logger LOG = LoggerFactory.getLogger(RouteTable.class);

  /** A path, the methods it answers and its handler; the 405 {@code Allow} header comes from it. */
  record Route(String path, Set<HttpMethod> methods, Handler<RoutingContext> handler) {
    /**
     * Whether a request path falls on this route; {@code :param} matches one path segment, a
     * trailing {@code *} the rest of the path.
     */
    boolean matches(String requestPath) {
      String trimmed = requestPath.length() > 1 ? requestPath.replaceAll("/+$", "") : requestPath;
      return trimmed.matches(path.replaceAll(":[a-z]+", "[^/]+").replace("*", ".*"));
    }
  }

  private final List<Route> routes;

  RouteTable(List<Route> routes) {
    this.routes = List.copyOf(routes);
  }

  List<Route> routes() {
    return routes;
  }

  /**
   * Puts the routes into {@code router}, behind the HEAD handling and before the error handlers.
   */
  void install(Router router) {
    // First, for every request: a HEAD answer gets the headers GET's would have. Not restricted
    // to HEAD on the route itself: a route that fails a request's method turns its 404 into 405.
    router.route().handler(RouteTable::headLikeGet);
    for (Route route : routes) {
      // One router route per path for all its methods: a handler that passes a request on (the
      // status page's, for a file it does not have) must reach the 404, not a sibling's 405.
      io.vertx.ext.web.Route registered = router.route(route.path());
      route.methods().forEach(registered::method);
      registered.handler(route.handler());
    }
    // Every error the router can produce, including its own 400 for an undecodable path,
    // answers in the one JSON shape.
    for (int status = 400; status < 600; status++) {
      int code = status;
      router.errorHandler(code, ctx -> routingError(ctx, code));
    }
  }

  private void routingError(RoutingContext ctx, int status) {
    String method = ctx.request().method().name();
    String path = ctx.request().path();
    switch (status) {
      case 404 -> ApiError.send(ctx.response(), 404, "no resource at " + method + " " + path);
      case 405 -> {
        // The path as the router matched it: "//" or "/health/./status" name a route too.
        ctx.response().putHeader(HttpHeaders.ALLOW, allowedMethods(ctx.normalizedPath()));
        ApiError.send(ctx.response(), 405, method + " is not allowed on " + path);
      }
      default -> {
        if (status >= 500) {
          LOG.error("failed to answer {} {}", method, path, ctx.failure());
          ApiError.send(ctx.response(), status, "the orchestrator failed to answer this request");
        } else {
          ApiError.send(ctx.response(), status, "the request cannot be processed");
        }
      }
    }
  }

  /**
   * Vert.x drops the body of an answer to HEAD and, with it, the {@code Content-Length} that the
   * same answer to GET has; clients use it to size a download before they make it. Put back from
   * the bytes the handler wrote (and Vert.x discarded), whichever handler answers, so a new route
   * needs nothing of its own. The event stream has no length to give; it is told by its type
   * because Vert.x has taken the {@code Transfer-Encoding} off a HEAD answer before this runs.
   */
  private static void headLikeGet(RoutingContext ctx) {
    if (ctx.request().method() != HttpMethod.HEAD) {
      ctx.next();
      return;
    }
    HttpServerResponse response = ctx.response();
    ctx.addHeadersEndHandler(
        ending -> {
          int status = response.getStatusCode();
          String type = response.headers().get(HttpHeaders.CONTENT_TYPE);
          if (status >= 200
              && status != 204
              && status != 304
              && !response.headers().contains(HttpHeaders.CONTENT_LENGTH)
              && (type == null || !type.startsWith(EventStream.MEDIA_TYPE))) {
            response.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(response.bytesWritten()));
          }
        });
    ctx.next();
  }

  private String allowedMethods(String path) {
    return routes.stream()
        .filter(route -> route.matches(path))
        .flatMap(route -> route.methods().stream())
        .map(HttpMethod::name)
        .sorted()
        .collect(Collectors.joining(", "));
  }
}
