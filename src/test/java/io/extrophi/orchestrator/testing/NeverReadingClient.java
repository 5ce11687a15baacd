package io.extrophi.orchestrator.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

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
}
