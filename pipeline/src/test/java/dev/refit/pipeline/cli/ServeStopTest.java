package dev.refit.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.registry.oci.Digest;
import dev.refit.registry.server.RegistryConfig;
import dev.refit.registry.server.RegistryServer;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ServeStopTest {

  @Test
  @Timeout(30)
  void stop_idleKeepAliveOpen_exitsAtOnceAndKeepsAcknowledgedBlob(@TempDir Path root)
      throws Exception {
    RegistryConfig config = RegistryConfig.defaults(root).withHost("127.0.0.1").withPort(0);
    Vertx vertx = Vertx.vertx();
    RegistryServer server = start(vertx, config);
    byte[] blob = new byte[256 * 1024];
    new Random(7).nextBytes(blob);
    Digest digest = Digest.sha256(blob);

    try (Socket idle = new Socket("127.0.0.1", server.actualPort())) {
      String head = exchange(idle, "GET /v2/ HTTP/1.1\r\nHost: registry\r\n\r\n");
      assertThat(head).startsWith("HTTP/1.1 200");
      HttpResponse<Void> pushed = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(server.baseUrl()
                  + "/v2/app/blobs/uploads/?digest=" + digest))
              .POST(HttpRequest.BodyPublishers.ofByteArray(blob)).build(),
          HttpResponse.BodyHandlers.discarding());
      assertThat(pushed.statusCode()).isEqualTo(201);

      long started = System.nanoTime();
      ServeStop.stop(server, vertx);
      Duration took = Duration.ofNanos(System.nanoTime() - started);

      assertThat(took).isLessThan(Duration.ofSeconds(2));
      idle.setSoTimeout(2000);
      assertThat(idle.getInputStream().read()).as("idle connection closed").isEqualTo(-1);
    }

    Vertx again = Vertx.vertx();
    RegistryServer restarted = start(again, config);
    try {
      HttpResponse<byte[]> pulled = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(restarted.baseUrl() + "/v2/app/blobs/" + digest))
              .GET().build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(pulled.statusCode()).isEqualTo(200);
      assertThat(Digest.sha256(pulled.body())).isEqualTo(digest);
    } finally {
      ServeStop.stop(restarted, again);
    }
  }

  private static RegistryServer start(Vertx vertx, RegistryConfig config) throws Exception {
    return RegistryServer.start(vertx, config).toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  /** Sends one bodiless request on a kept-alive socket and reads its whole (bodiless) answer. */
  private static String exchange(Socket socket, String request) throws Exception {
    OutputStream out = socket.getOutputStream();
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = socket.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.append((char) b);
    }
    String text = head.toString();
    int length = text.toLowerCase().indexOf("content-length:");
    if (length >= 0) {
      int n = Integer.parseInt(text.substring(length + 15, text.indexOf("\r\n", length)).trim());
      in.readNBytes(n);
    }
    return text;
  }
}
