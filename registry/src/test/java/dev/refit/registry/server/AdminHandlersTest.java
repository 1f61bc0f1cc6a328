package dev.refit.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.refit.registry.testkit.InProcessRegistry;
import io.vertx.core.net.SocketAddress;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminHandlersTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void isLoopback_loopbackPeers_areAccepted() {
    assertThat(AdminHandlers.isLoopback(SocketAddress.inetSocketAddress(1, "127.0.0.1"))).isTrue();
    assertThat(AdminHandlers.isLoopback(SocketAddress.inetSocketAddress(1, "127.0.0.2"))).isTrue();
    assertThat(AdminHandlers.isLoopback(SocketAddress.inetSocketAddress(1, "::1"))).isTrue();
    assertThat(AdminHandlers.isLoopback(SocketAddress.inetSocketAddress(1, "::ffff:127.0.0.1")))
        .isTrue();
  }

  @Test
  void isLoopback_otherPeers_areRefused() {
    assertThat(AdminHandlers.isLoopback(SocketAddress.inetSocketAddress(1, "192.0.2.7"))).isFalse();
    assertThat(AdminHandlers.isLoopback(SocketAddress.inetSocketAddress(1, "2001:db8::1"))).isFalse();
    assertThat(AdminHandlers.isLoopback(SocketAddress.inetSocketAddress(1, "localhost"))).isFalse();
    assertThat(AdminHandlers.isLoopback(SocketAddress.domainSocketAddress("/run/x.sock"))).isFalse();
    assertThat(AdminHandlers.isLoopback(null)).isFalse();
  }

  @Test
  void post_fromLoopback_runsGcAndReportsItWhenPolled(@TempDir Path root) throws Exception {
    try (InProcessRegistry registry = InProcessRegistry.start(root)) {
      HttpResponse<String> started = send(registry.baseUrl(), "POST", "/refit/v1/gc?dry-run=true");
      assertThat(started.statusCode()).isEqualTo(202);
      String location = started.headers().firstValue("Location").orElseThrow();
      HttpResponse<String> polled;
      do {
        polled = send(registry.baseUrl(), "GET", location);
      } while (polled.body().contains("\"running\""));
      assertThat(polled.statusCode()).isEqualTo(200);
      assertThat(polled.body()).contains("\"state\":\"done\"").contains("\"dryRun\":true");
    }
  }

  @Test
  void post_fromANonLoopbackAddress_isDenied(@TempDir Path root) throws Exception {
    Optional<InetAddress> own = ownNonLoopbackAddress();
    assumeTrue(own.isPresent(), "this host has no non-loopback IPv4 address to call from");
    try (InProcessRegistry registry =
        InProcessRegistry.start(RegistryConfig.defaults(root).withHost("0.0.0.0"))) {
      HttpResponse<String> r = send("http://" + own.get().getHostAddress() + ":" + registry.port(),
          "POST", "/refit/v1/gc");
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(r.body()).contains("DENIED").contains("loopback callers only");
    }
  }

  @Test
  void get_unknownRun_is404(@TempDir Path root) throws Exception {
    try (InProcessRegistry registry = InProcessRegistry.start(root)) {
      assertThat(send(registry.baseUrl(), "GET", "/refit/v1/gc?run=42").statusCode()).isEqualTo(404);
    }
  }

  private static HttpResponse<String> send(String base, String method, String path)
      throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static Optional<InetAddress> ownNonLoopbackAddress() throws Exception {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress a : Collections.list(nic.getInetAddresses())) {
        if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
          return Optional.of(a);
        }
      }
    }
    return Optional.empty();
  }
}
