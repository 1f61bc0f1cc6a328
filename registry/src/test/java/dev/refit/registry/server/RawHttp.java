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
    return connect(port, null);
  }

  /** As another client would: from {@code localAddress}, e.g. {@code 127.0.0.2} (Linux loopback). */
  static RawHttp connect(int port, String localAddressOrNull) throws IOException {
    Socket socket = new Socket();
    try {
      if (localAddressOrNull != null) {
        socket.bind(new InetSocketAddress(localAddressOrNull, 0));
      }
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

  /**
   * Whatever the server sends until it closes the connection (EOF or reset); null when it is
   * still open after {@code timeoutMillis}.
   */
  String readUntilClosed(int timeoutMillis) throws IOException {
    socket.setSoTimeout(timeoutMillis);
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    try {
      int b;
      while ((b = socket.getInputStream().read()) >= 0) {
        got.write(b);
      }
    } catch (java.net.SocketTimeoutException e) {
      return null;
    } catch (java.net.SocketException reset) {
      // closed with a reset: what arrived before it still counts
    }
    return got.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
