package dev.refit.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.refit.registry.testkit.InProcessRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One client cannot hold more connections than its limit; others are still served. A connection
 * counts once the server sees it as HTTP: after its first bytes (plain HTTP, where HTTP/1.1 and
 * h2c are told apart by them) or after the TLS handshake.
 */
class ConnectionLimitTest {
  private static final int LIMIT = 4;
  private static final String PING = "GET /v2/ HTTP/1.1\r\nHost: x\r\n\r\n";

  @TempDir Path root;

  @Test
  void connect_overPerClientLimit_isClosedQuicklyWhileAnotherClientIsServed() throws Exception {
    assumeThat(canBind("127.0.0.2")).as("a second loopback address (Linux)").isTrue();
    List<RawHttp> held = new ArrayList<>();
    try (InProcessRegistry registry = InProcessRegistry.start(RegistryConfig.defaults(root)
        .withClientLimits(ClientLimits.defaults().withMaxConnectionsPerClient(LIMIT)))) {
      for (int i = 0; i < LIMIT; i++) {
        RawHttp c = RawHttp.connect(registry.port());
        held.add(c);
        c.send(PING);
        assertThat(c.readHead()).as("connection %d within the limit", i).startsWith("HTTP/1.1 200");
      }

      long started = System.nanoTime();
      String extraGot;
      try (RawHttp extra = RawHttp.connect(registry.port())) {
        try {
          extra.send(PING);
        } catch (IOException closedAlready) {
          // the server may close before the request is written
        }
        extraGot = extra.readUntilClosed(5_000);
      }
      Duration extraTook = Duration.ofNanos(System.nanoTime() - started);
      String otherClient;
      try (RawHttp other = RawHttp.connect(registry.port(), "127.0.0.2")) {
        other.send(PING);
        otherClient = other.readHead();
      }
      held.remove(0).close();
      String afterOneClosed = pingUntilServed(registry.port());

      assertThat(extraGot).as("connection %d from the same client closed", LIMIT + 1).isNotNull()
          .doesNotContain("200");
      assertThat(extraTook).isLessThan(Duration.ofSeconds(5));
      assertThat(otherClient).startsWith("HTTP/1.1 200");
      assertThat(afterOneClosed).as("a freed slot is usable again").startsWith("HTTP/1.1 200");
    } finally {
      for (RawHttp c : held) {
        c.close();
      }
    }
  }

  /** The server learns of a client's close asynchronously, so a freed slot may take a moment. */
  private static String pingUntilServed(int port) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (true) {
      try (RawHttp c = RawHttp.connect(port)) {
        c.send(PING);
        return c.readHead();
      } catch (IOException closed) {
        if (System.nanoTime() > deadline) {
          throw closed;
        }
        Thread.sleep(50);
      }
    }
  }

  private static boolean canBind(String address) {
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(address, 0));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
