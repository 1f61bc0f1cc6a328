package dev.refit.registry.server;

import static dev.refit.registry.server.RegistryHttp.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.registry.oci.Digest;
import dev.refit.registry.testkit.InProcessRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** distribution-spec "Resuming" a chunked upload after a PATCH that never finished. */
class UploadResumeTest {
  private static final int CHUNK = 64 * 1024;

  @TempDir Path root;

  @Test
  void patch_connectionDroppedMidBody_keepsUploadResumableFromItsRange() throws Exception {
    byte[] content = new byte[3 * CHUNK];
    new Random(7).nextBytes(content);
    Digest digest = Digest.sha256(content);
    try (InProcessRegistry registry = InProcessRegistry.start(root)) {
      RegistryHttp http = new RegistryHttp(registry.baseUrl());
      String location = header(http.send("POST", "/v2/lib/app/blobs/uploads/", new byte[0]), "Location");
      HttpResponse<byte[]> first = http.send("PATCH", location, Arrays.copyOfRange(content, 0, CHUNK),
          "Content-Range", "0-" + (CHUNK - 1));
      assertThat(first.statusCode()).isEqualTo(202);

      try (RawHttp raw = RawHttp.connect(registry.port())) {
        raw.send("PATCH " + location + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
            + "Content-Range: " + CHUNK + "-" + (2 * CHUNK - 1) + "\r\nContent-Length: " + CHUNK
            + "\r\nExpect: 100-continue\r\n\r\n");
        // 100 means the server holds the upload and reads the body: the drop then hits a live PATCH.
        assertThat(raw.readHead()).startsWith("HTTP/1.1 100");
        raw.send(Arrays.copyOfRange(content, CHUNK, CHUNK + CHUNK / 2));
      }
      HttpResponse<byte[]> status = awaitStatus(http, location);
      assertThat(status.statusCode()).as("status after the drop: %s", RegistryHttp.body(status))
          .isEqualTo(204);
      long offset = Long.parseLong(header(status, "Range").substring(2)) + 1;
      assertThat(offset).as("kept offset").isBetween((long) CHUNK, (long) CHUNK + CHUNK / 2);

      HttpResponse<byte[]> resumed = http.send("PATCH", location,
          Arrays.copyOfRange(content, (int) offset, content.length),
          "Content-Range", offset + "-" + (content.length - 1));
      HttpResponse<byte[]> close = http.send("PUT", location + "?digest=" + digest, (byte[]) null);

      assertThat(resumed.statusCode()).as(RegistryHttp.body(resumed)).isEqualTo(202);
      assertThat(header(resumed, "Range")).isEqualTo("0-" + (content.length - 1));
      assertThat(close.statusCode()).as(RegistryHttp.body(close)).isEqualTo(201);
      assertThat(http.get("/v2/lib/app/blobs/" + digest).body()).isEqualTo(content);
    }
  }

  /** The server learns of the drop asynchronously: until then the upload is busy (400). */
  private static HttpResponse<byte[]> awaitStatus(RegistryHttp http, String location)
      throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    HttpResponse<byte[]> status = http.get(location);
    while (status.statusCode() == 400 && System.nanoTime() < deadline) {
      Thread.sleep(50);
      status = http.get(location);
    }
    return status;
  }
}
