package io.extrophi.orchestrator.http;

import static io.extrophi.orchestrator.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.InProcessOrchestrator;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.TargetServer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Idle, slow and excess clients on raw sockets: the server closes what it would otherwise keep
 * forever, answers incomplete and ambiguously framed requests with an error and a closed
 * connection, and keeps answering {@code GET /health} while more clients connect than it admits.
 */
@ExtendWith(VertxExtension.class)
@IntegrationTest
class ConnectionLimitsTest {

  private static final long WAIT_S = 60;

  /** How long a socket read may block: far beyond every deadline configured here. */
  private static final int READ_TIMEOUT_MS = 60_000;

  private Vertx vertx;
  private final List<Socket> sockets = new ArrayList<>();
  private int port;

  @AfterEach
  void close() throws Exception {
    for (Socket socket : sockets) {
      socket.close();
    }
  }

  @BeforeEach
  void useVertx(Vertx vertx) {
    this.vertx = vertx;
  }

  @Test
  void idleKeptAliveConnectionsAreClosed() throws Exception {
    start(Map.of("HTTP_IDLE_TIMEOUT", "1", "HTTP_REQUEST_TIMEOUT", "30"));
    List<Socket> idle = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Socket socket = connect();
      send(socket, "GET /health HTTP/1.1\r\nHost: a\r\n\r\n");
      idle.add(socket);
    }
    for (Socket socket : idle) {
      String answered = readUntilClosed(socket);
      assertThat(answered).startsWith("HTTP/1.1 200").contains("\"status\":\"ok\"");
    }
  }

  @Test
  void anEventStreamOutlivesTheIdleTimeout() throws Exception {
    start(Map.of("HTTP_IDLE_TIMEOUT", "1", "HTTP_REQUEST_TIMEOUT", "1"));
    Socket stream = connect();
    send(stream, "GET /health/events HTTP/1.1\r\nHost: a\r\n\r\n");
    // Comment lines come every half idle timeout: four of them span twice the timeout.
    InputStream in = stream.getInputStream();
    StringBuilder received = new StringBuilder();
    byte[] buffer = new byte[8_192];
    while (received.toString().split(": keepalive", -1).length <= 4) {
      int read = in.read(buffer);
      assertThat(read).as("the stream was closed; received: " + received).isPositive();
      received.append(new String(buffer, 0, read, StandardCharsets.US_ASCII));
    }
  }

  @Test
  void aClientSendingItsHeadersByteByByteIsClosed() throws Exception {
    // Each byte comes well within the idle timeout: only the request deadline can end this.
    start(Map.of("HTTP_IDLE_TIMEOUT", "30", "HTTP_REQUEST_TIMEOUT", "1"));
    Socket socket = connect();
    CompletableFuture<String> answer = readUntilClosedInBackground(socket);
    byte[] head = "GET /health HTTP/1.1\r\nHost: a\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
    OutputStream out = socket.getOutputStream();
    long giveUpAt = System.currentTimeMillis() + WAIT_S * 1_000;
    int sent = 0;
    try {
      while (!answer.isDone() && System.currentTimeMillis() < giveUpAt) {
        out.write(sent < head.length ? head[sent] : 'x');
        out.flush();
        sent++;
        TimeUnit.MILLISECONDS.sleep(100);
      }
    } catch (IOException closedWhileWriting) {
      // The server closed first: what the test waits for.
    }
    assertThat(answer.get(WAIT_S, TimeUnit.SECONDS)).doesNotContain("200");
    assertThat(closedCount("request_timeout")).isPositive();
  }

  @Test
  void aBodyShorterThanItsContentLengthGets408AndAClosedConnection() throws Exception {
    start(Map.of("HTTP_IDLE_TIMEOUT", "30", "HTTP_REQUEST_TIMEOUT", "1"));
    Socket socket = connect();
    send(socket, "POST /health/trigger HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n{}");
    String answer = readUntilClosed(socket);
    assertThat(answer).startsWith("HTTP/1.1 408").contains("\"error\":\"request_timeout\"");
  }

  @Test
  void aRequestWithContentLengthAndChunkedIsTheLastOnItsConnection() throws Exception {
    start(Map.of());
    Socket socket = connect();
    // A front end going by Content-Length sees one request; chunked framing ends the body early
    // and leaves a second request behind. It must never be answered.
    String smuggled = "GET /health/status HTTP/1.1\r\nHost: a\r\n\r\n";
    send(
        socket,
        "POST /health/trigger HTTP/1.1\r\nHost: a\r\nContent-Length: "
            + (5 + smuggled.length())
            + "\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
            + smuggled);
    String answer = readUntilClosed(socket);
    assertThat(answer).startsWith("HTTP/1.1 ");
    assertThat(Pattern.compile("HTTP/1\\.1 \\d{3}").matcher(answer).results().count())
        .as("answers on the connection: " + answer)
        .isEqualTo(1);
  }

  @Test
  void beyondTheCapWaitingConnectionsGiveWayAndHealthStillAnswers() throws Exception {
    startCappedAt(10);
    // Every connection waits for a request: left alone, they would hold the cap for ten minutes.
    List<Socket> waiting = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      waiting.add(connect());
    }
    Socket health = connect();
    send(health, "GET /health HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    assertThat(readUntilClosed(health)).startsWith("HTTP/1.1 200");
    int closed = 0;
    for (Socket socket : waiting.subList(0, 21)) {
      closed += readUntilClosed(socket).isEmpty() ? 1 : 0;
    }
    assertThat(closed).as("the oldest waiting connections were closed").isEqualTo(21);
    assertThat(closedCount("evicted")).isGreaterThanOrEqualTo(21);
  }

  @Test
  void beyondTheCapBusyConnectionsKeepTheirPlaceAndNewOnesAreRefused() throws Exception {
    startCappedAt(3);
    // Each is being answered (an event stream): closing one would cut an answer short, so the
    // newcomer goes. The stream's first bytes show that its request is in.
    List<Socket> streams = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Socket stream = connect();
      streams.add(stream);
      send(stream, "GET /health/events HTTP/1.1\r\nHost: a\r\n\r\n");
      assertThat(stream.getInputStream().read()).isPositive();
    }
    Socket refused = connect();
    send(refused, "GET /health HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    assertThat(readUntilClosed(refused)).as("closed unanswered").isEmpty();
    streams.get(0).close();
    assertThat(closedCount("refused")).isPositive();
  }

  /** At most {@code maxConnections}, with timeouts far beyond the test: only the cap closes. */
  private void startCappedAt(int maxConnections) throws Exception {
    start(
        Map.of(
            "HTTP_MAX_CONNECTIONS",
            String.valueOf(maxConnections),
            "HTTP_IDLE_TIMEOUT",
            "600",
            "HTTP_REQUEST_TIMEOUT",
            "600"));
  }

  private void start(Map<String, String> settings) throws Exception {
    TargetServer target = await(TargetServer.start(vertx));
    port =
        await(
                InProcessOrchestrator.on(vertx)
                    .monitoring(target.url())
                    .set("TRIGGER_MIN_GAP", "0")
                    .set(settings)
                    .start())
            .port();
  }

  /**
   * The {@code orchestrator_http_connections_closed_total} sample of one reason, asked until a
   * connection is admitted (at the cap, the question itself may be refused).
   */
  private double closedCount(String reason) throws Exception {
    String answer = "";
    long giveUpAt = System.currentTimeMillis() + WAIT_S * 1_000;
    while (answer.isEmpty() && System.currentTimeMillis() < giveUpAt) {
      Socket socket = connect();
      send(socket, "GET /metrics HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
      answer = readUntilClosed(socket);
    }
    Matcher sample =
        Pattern.compile(
                "orchestrator_http_connections_closed_total\\{reason=\""
                    + reason
                    + "\"[^}]*} ([0-9.eE+]+)")
            .matcher(answer);
    assertThat(sample.find()).as("metric of reason " + reason + " in " + answer).isTrue();
    return Double.parseDouble(sample.group(1));
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(READ_TIMEOUT_MS);
    sockets.add(socket);
    return socket;
  }

  private static void send(Socket socket, String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
  }

  /** Everything the server sends until it closes; fails the test if it never does. */
  private static String readUntilClosed(Socket socket) throws IOException {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[8_192];
    try {
      for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
        received.write(buffer, 0, read);
      }
    } catch (SocketTimeoutException stillOpen) {
      throw new AssertionError(
          "the server kept the connection open; received: " + received.toString(), stillOpen);
    } catch (IOException reset) {
      // Closed with a reset: closed all the same.
    }
    return received.toString(StandardCharsets.US_ASCII);
  }

  private static CompletableFuture<String> readUntilClosedInBackground(Socket socket) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return readUntilClosed(socket);
          } catch (IOException failed) {
            throw new IllegalStateException(failed);
          }
        });
  }
}
