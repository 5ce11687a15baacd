package io.extrophi.orchestrator.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.IntPredicate;

/**
 * A raw HTTP client that sends one GET and never reads the answer, with a 4 KB receive window: the
 * event-stream client that fell asleep, as the stream's budgets and back-pressure meet it.
 */
public final class NeverReadingClient {

  private NeverReadingClient() {}

  /** Connects to 127.0.0.1:{@code port} and asks for {@code pathAndQuery}; the caller closes it. */
  public static Socket open(int port, String pathAndQuery) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
    OutputStream out = socket.getOutputStream();
    out.write(
        ("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return socket;
  }

  /**
   * The client wakes up: reads {@code socket} until {@code enough} holds for the number of snapshot
   * events read so far. Fails when the stream ends first or that takes longer than {@code wait}.
   */
  public static void wakeAndReadUntil(Socket socket, IntPredicate enough, Duration wait)
      throws IOException {
    long readUntil = System.nanoTime() + wait.toNanos();
    socket.setSoTimeout((int) wait.toMillis());
    InputStream in = socket.getInputStream();
    StringBuilder names = new StringBuilder();
    byte[] chunk = new byte[64 * 1024];
    int snapshots = 0;
    while (!enough.test(snapshots)) {
      int read = in.read(chunk);
      if (read < 0) {
        throw new AssertionError("the stream ended after " + snapshots + " snapshots");
      }
      if (System.nanoTime() > readUntil) {
        throw new AssertionError("not caught up in " + wait + " (" + snapshots + " snapshots)");
      }
      // Only the event names matter; a snapshot's body may be megabytes of filler.
      names.append(new String(chunk, 0, read, StandardCharsets.US_ASCII).replaceAll("x{64,}", "x"));
      snapshots = count(names, "event: snapshot");
    }
  }

  private static int count(CharSequence text, String needle) {
    String all = text.toString();
    int count = 0;
    for (int at = all.indexOf(needle); at >= 0; at = all.indexOf(needle, at + 1)) {
      count++;
    }
    return count;
  }
}
