package dev.refit.registry.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.registry.oci.MediaType;
import dev.refit.registry.testkit.InProcessRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A body past its limit is refused while it is still arriving, not after it was all read. */
class BodyLimitTest {
  private static final long TOTAL = 64L * 1024 * 1024;
  private static final int CHUNK = 64 * 1024;

  @TempDir Path root;

  @Test
  void putManifest_chunkedPastLimit_answers413BeforeTheBodyEnds() throws Exception {
    try (InProcessRegistry registry = InProcessRegistry.start(root);
        RawHttp raw = RawHttp.connect(registry.port())) {
      raw.send("PUT /v2/lib/app/manifests/big HTTP/1.1\r\nHost: x\r\nContent-Type: "
          + MediaType.OCI_MANIFEST + "\r\nTransfer-Encoding: chunked\r\n\r\n");
      AtomicLong sent = new AtomicLong();
      Thread writer = new Thread(() -> sendChunked(raw, sent), "oversized-manifest-writer");
      writer.start();

      String head = raw.readHead();
      long sentWhenAnswered = sent.get();
      writer.join(30_000);

      assertThat(head).startsWith("HTTP/1.1 413").containsIgnoringCase("connection: close");
      assertThat(sentWhenAnswered).as("bytes sent when the 413 arrived").isLessThan(TOTAL / 2);
      assertThat(writer.isAlive()).as("client still sending after the server closed").isFalse();
      assertThat(sent.get()).as("bytes the server let the client send").isLessThan(TOTAL / 2);
    }
  }

  @Test
  void putManifest_streamedPastLimitOverHttp2_answers413() {
    try (InProcessRegistry registry = InProcessRegistry.start(root)) {
      RegistryHttp h2 = new RegistryHttp(registry.baseUrl(), HttpClient.Version.HTTP_2);
      h2.get("/v2/"); // h2c upgrade, so the PUT goes over HTTP/2

      HttpResponse<byte[]> r = h2.send("PUT", "/v2/lib/app/manifests/big",
          BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[16 * 1024 * 1024])),
          "Content-Type", MediaType.OCI_MANIFEST);

      assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
      RegistryHttp.assertError(r, 413, "SIZE_INVALID");
      assertThat(h2.get("/v2/").statusCode()).as("connection still usable").isEqualTo(200);
    }
  }

  private static void sendChunked(RawHttp raw, AtomicLong sent) {
    byte[] chunk = new byte[CHUNK];
    Arrays.fill(chunk, (byte) ' ');
    byte[] size = (Integer.toHexString(CHUNK) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] crlf = "\r\n".getBytes(StandardCharsets.US_ASCII);
    try {
      while (sent.get() < TOTAL) {
        raw.send(size);
        raw.send(chunk);
        raw.send(crlf);
        sent.addAndGet(CHUNK);
      }
      raw.send("0\r\n\r\n");
    } catch (IOException closedByServer) {
      // expected once the server has answered and closed
    }
  }
}
