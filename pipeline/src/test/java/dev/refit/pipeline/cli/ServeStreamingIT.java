package dev.refit.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the packaged {@code refit registry serve} in its own JVM with a 64 MiB heap and pushes
 * and pulls a blob 16 times that size. Any code path that buffers a blob whole dies with
 * OutOfMemoryError, so this proves bytes stream and heap stays flat.
 */
class ServeStreamingIT {
  private static final long BLOB_SIZE = 1024L * 1024 * 1024;

  private ServedJar server;

  @AfterEach
  void stop() throws InterruptedException {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void oneGibBlob_pushAndPull_withSixtyFourMibHeap(@TempDir Path tmp) throws Exception {
    server = ServedJar.start(List.of("-Xmx64m", "-XX:+ExitOnOutOfMemoryError"),
        "--root", tmp.resolve("store").toString());
    int port = server.port();
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + port + "/v2/big/blob";

    String expected = "sha256:" + hexOf(BLOB_SIZE, 7);
    HttpResponse<Void> start = http.send(
        HttpRequest.newBuilder(URI.create(base + "s/uploads/"))
            .POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.discarding());
    assertThat(start.statusCode()).isEqualTo(202);
    String location = start.headers().firstValue("Location").orElseThrow();
    URI put = URI.create("http://127.0.0.1:" + port + location
        + (location.contains("?") ? "&" : "?") + "digest=" + expected);
    HttpResponse<String> done = http.send(
        HttpRequest.newBuilder(put)
            .header("Content-Type", "application/octet-stream")
            .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> random(BLOB_SIZE, 7)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(done.statusCode()).as(done.body()).isEqualTo(201);
    assertThat(done.headers().firstValue("Docker-Content-Digest")).hasValue(expected);

    HttpResponse<InputStream> pulled = http.send(
        HttpRequest.newBuilder(URI.create(base + "s/" + expected)).GET().build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(pulled.statusCode()).isEqualTo(200);
    assertThat(pulled.headers().firstValueAsLong("Content-Length")).hasValue(BLOB_SIZE);
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    long n = 0;
    try (InputStream in = pulled.body()) {
      byte[] buf = new byte[1 << 16];
      for (int r; (r = in.read(buf)) > 0; ) {
        sha.update(buf, 0, r);
        n += r;
      }
    }
    assertThat(n).isEqualTo(BLOB_SIZE);
    assertThat("sha256:" + HexFormat.of().formatHex(sha.digest())).isEqualTo(expected);
    assertThat(server.isAlive()).as("server survived with a 64 MiB heap").isTrue();
  }

  /** A deterministic, incompressible stream of {@code size} bytes, generated on the fly. */
  private static InputStream random(long size, long seed) {
    Random rnd = new Random(seed);
    return new InputStream() {
      private final byte[] block = new byte[1 << 16];
      private int pos = block.length;
      private long left = size;

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (left == 0) {
          return -1;
        }
        if (pos == block.length) {
          rnd.nextBytes(block);
          pos = 0;
        }
        int n = (int) Math.min(Math.min(len, block.length - pos), left);
        System.arraycopy(block, pos, b, off, n);
        pos += n;
        left -= n;
        return n;
      }
    };
  }

  private static String hexOf(long size, long seed) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    try (InputStream in = random(size, seed)) {
      byte[] buf = new byte[1 << 16];
      for (int r; (r = in.read(buf)) > 0; ) {
        sha.update(buf, 0, r);
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }
}
