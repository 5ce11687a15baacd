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

  public static HttpRequest request(HttpMethod method, String uri) {
    return new HttpRequest() {
      @Override
      public int id() {
        return 1;
      }

      @Override
      public String uri() {
        return uri;
      }

      @Override
      public String absoluteURI() {
        return "http://127.0.0.1:8003" + uri;
      }

      @Override
      public HttpMethod method() {
        return method;
      }

      @Override
      public MultiMap headers() {
        return MultiMap.caseInsensitiveMultiMap();
      }

      @Override
      public SocketAddress remoteAddress() {
        return CLIENT;
      }
    };
  }

  public static HttpResponse response(int status) {
    return new HttpResponse() {
      @Override
      public int statusCode() {
        return status;
      }

      @Override
      public MultiMap headers() {
        return MultiMap.caseInsensitiveMultiMap();
      }
    };
  }
}
