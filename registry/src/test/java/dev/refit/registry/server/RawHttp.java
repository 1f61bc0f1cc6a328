package dev.refit.registry.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Test helper: HTTP/1.1 over a plain loopback socket, for what a well-behaved client never does
 * (stop mid-body, hold connections open, stream without end). Not thread-safe.
 */
final class RawHttp implements AutoCloseable {
  private final Socket socket;

  private RawHttp(Socket socket) {
    this.socket = socket;
  }

  /** Connects to {@code 127.0.0.1:port}; reads time out after 20 s so a test cannot hang. */
  static RawHttp connect(int port) throws IOException {
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      socket.setSoTimeout(20_000);
      return new RawHttp(socket);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  Socket socket() {
    return socket;
  }

  void send(String ascii) throws IOException {
    send(ascii.getBytes(StandardCharsets.US_ASCII));
  }

  void send(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
  }

  /** The status line and headers of the next response, up to the blank line. */
  String readHead() throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed after " + head.size() + " bytes of a response head");
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  /** True when the server closed the connection (EOF or reset) within the read timeout. */
  boolean closedByServer(int timeoutMillis) throws IOException {
    socket.setSoTimeout(timeoutMillis);
    try {
      while (socket.getInputStream().read() >= 0) {
        // discard whatever the server still sends
      }
      return true;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (java.net.SocketException reset) {
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
