package io.extrophi.orchestrator.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;

/**
 * Requests and responses as Vert.x's metrics interface sees them, for driving an {@code
 * HttpServerMetrics} call by call (tests and the JMH benchmarks).
 */
public final class ObservedHttp {

  /** The client of every request. */
  public static final SocketAddress CLIENT = SocketAddress.inetSocketAddress(40000, "127.0.0.1");

  private ObservedHttp() {}

  /** Each accessor of the interface is a component, so the record is the whole implementation. */
  private record Request(
      int id,
      String uri,
      String absoluteURI,
      HttpMethod method,
      MultiMap headers,
      SocketAddress remoteAddress)
      implements HttpRequest {}

  private record Response(int statusCode, MultiMap headers) implements HttpResponse {}

  public static HttpRequest request(HttpMethod method, String uri) {
    return new Request(
        1, uri, "http://127.0.0.1:8003" + uri, method, MultiMap.caseInsensitiveMultiMap(), CLIENT);
  }

  public static HttpResponse response(int status) {
    return new Response(status, MultiMap.caseInsensitiveMultiMap());
  }
}
