package dev.refit.pipeline.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Test helper: a loopback {@code host:port} that was free a moment ago, for {@code refit.yaml}'s
 * {@code local_registry.address}, so no test binds refit's default 8787 (a busy port is fine
 * too: the embedded registry then falls back to a free one). Thread-safe.
 */
public final class FreeAddress {
  private FreeAddress() {}

  public static String loopback() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "127.0.0.1:" + s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The refit.yaml lines that put the embedded local registry at a free loopback address. */
  public static String refitYamlLines() {
    return "local_registry:\n  address: " + loopback();
  }
}
