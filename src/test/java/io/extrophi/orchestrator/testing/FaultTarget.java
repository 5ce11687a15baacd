package io.extrophi.orchestrator.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A probe target that misbehaves on purpose, on 127.0.0.1 with plain sockets (one thread per
 * connection), so that every fault is exactly what the bytes on the wire say. The path chooses the
 * fault:
 *
 * <ul>
 *   <li>{@code /ok} 200 with a small body, keep-alive; {@code /status/NNN} that status;
 *   <li>{@code /silent} reads the request and never answers;
 *   <li>{@code /stall} sends the headers of a 100-byte body, then nothing;
 *   <li>{@code /trickle} sends the headers of a 1,000-byte body, then one byte every 100 ms;
 *   <li>{@code /endless} streams a chunked body without end, as fast as the client reads;
 *   <li>{@code /garbage} answers bytes that are not HTTP;
 *   <li>{@code /reset} sends half a response, then resets the connection (RST);
 *   <li>{@code /close} answers 200 with keep-alive, then closes the connection anyway;
 *   <li>{@code /slow} answers 200 after 300 ms;
 *   <li>{@code /redirect} 302 to {@code /ok}; {@code /loop} 302 to itself.
 * </ul>
 *
 * It counts the connections open right now, so a test can see that the client let go, and the
 * connections accepted so far. {@link #stopAccepting()} closes the listening socket but keeps
 * serving the connections already established: a dead accept loop, as a client sees it.
 */
public final class FaultTarget implements AutoCloseable {

  private final ServerSocket server;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger accepted = new AtomicInteger();
  private final java.util.concurrent.atomic.AtomicLong endlessBytes =
      new java.util.concurrent.atomic.AtomicLong();
  private volatile boolean closed;

  private FaultTarget(ServerSocket server) {
    this.server = server;
  }

  public static FaultTarget start() throws IOException {
    FaultTarget target =
        new FaultTarget(new ServerSocket(0, 200, InetAddress.getLoopbackAddress()));
    Thread acceptor = new Thread(target::accept, "fault-target-accept");
    acceptor.setDaemon(true);
    acceptor.start();
    return target;
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.getLocalPort() + path;
  }

  /** Connections the target holds open now. */
  public int openConnections() {
    return open.size();
  }

  public int requests() {
    return requests.get();
  }

  /** Connections accepted since the start. */
  public int acceptedConnections() {
    return accepted.get();
  }

  /**
   * Closes the listening socket: new connections are refused, established ones are still served.
   */
  public void stopAccepting() throws IOException {
    server.close();
  }

  /** Bytes of endless body written so far. */
  public long endlessBytes() {
    return endlessBytes.get();
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    for (Socket socket : open) {
      socket.close();
    }
  }

  private void accept() {
    while (!closed) {
      try {
        Socket socket = server.accept();
        accepted.incrementAndGet();
        open.add(socket);
        Thread worker = new Thread(() -> serve(socket), "fault-target-connection");
        worker.setDaemon(true);
        worker.start();
      } catch (IOException stopped) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      String path;
      while ((path = readRequest(in)) != null) {
        requests.incrementAndGet();
        if (!answer(path, socket, out)) {
          return;
        }
      }
    } catch (IOException | InterruptedException gone) {
      // The client closed or reset the connection: the point of most faults.
    } finally {
      open.remove(socket);
    }
  }

  /** Answers one request; whether the connection may carry another. */
  private boolean answer(String path, Socket socket, OutputStream out)
      throws IOException, InterruptedException {
    switch (path) {
      case "/ok" -> write(out, response(200, "{\"status\":\"ok\"}", ""));
      case "/silent" -> {
        block(socket);
        return false;
      }
      case "/stall" -> {
        write(out, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n");
        block(socket);
        return false;
      }
      case "/trickle" -> {
        write(out, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
        for (int i = 0; i < 1000; i++) {
          out.write('x');
          out.flush();
          Thread.sleep(100);
        }
      }
      case "/endless" -> {
        write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        byte[] chunk =
            ("4000\r\n" + "y".repeat(0x4000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        while (!closed) {
          out.write(chunk);
          endlessBytes.addAndGet(chunk.length);
        }
      }
      case "/garbage" -> {
        write(out, "SSH-2.0-OpenSSH_9.2\r\n\0\0\u00ff\u00fe not http at all\r\n\r\n");
        return false;
      }
      case "/reset" -> {
        write(out, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nhalf");
        socket.setSoLinger(true, 0);
        return false;
      }
      case "/close" -> {
        write(out, response(200, "{\"status\":\"ok\"}", ""));
        return false;
      }
      case "/slow" -> {
        Thread.sleep(300);
        write(out, response(200, "{\"status\":\"ok\"}", ""));
      }
      case "/redirect" -> write(out, response(302, "", "Location: /ok\r\n"));
      case "/loop" -> write(out, response(302, "", "Location: /loop\r\n"));
      default -> {
        if (path.startsWith("/status/")) {
          write(out, response(Integer.parseInt(path.substring(8)), "", ""));
        } else {
          write(out, response(404, "", ""));
        }
      }
    }
    return true;
  }

  private static String response(int status, String body, String extraHeaders) {
    return "HTTP/1.1 "
        + status
        + " Whatever\r\n"
        + extraHeaders
        + "Content-Length: "
        + body.length()
        + "\r\n\r\n"
        + body;
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** Waits until the client closes the connection. */
  private static void block(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    try {
      while (in.read() != -1) {
        // Ignore anything more the client sends.
      }
    } catch (SocketException reset) {
      // Closed by the client.
    }
  }

  /** The path of the next request on the connection, or {@code null} when it closed. */
  private static String readRequest(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int current;
    while ((current = in.read()) != -1) {
      head.append((char) current);
      if (current == '\n' && head.toString().endsWith("\r\n\r\n")) {
        break;
      }
    }
    if (current == -1) {
      return null;
    }
    String[] requestLine = head.toString().split("\r\n", 2)[0].split(" ");
    return requestLine.length > 1 ? requestLine[1] : "/";
  }
}
