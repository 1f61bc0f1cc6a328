package dev.refit.registry.server;

import static dev.refit.registry.server.RegistryHttp.assertError;
import static dev.refit.registry.server.RegistryHttp.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.registry.oci.Digest;
import dev.refit.registry.testkit.InProcessRegistry;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UploadHandlersTest {
  private static final byte[] CONTENT = "hello, chunked world".getBytes(StandardCharsets.US_ASCII);
  private static final Digest DIGEST = Digest.sha256(CONTENT);

  @TempDir Path root;
  private InProcessRegistry registry;
  private RegistryHttp http;

  @BeforeEach
  void start() {
    registry = InProcessRegistry.start(RegistryConfig.defaults(root).withMaxChunkBytes(1024 * 1024));
    http = new RegistryHttp(registry.baseUrl());
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  private String startSession(String repo) {
    HttpResponse<byte[]> r = http.send("POST", "/v2/" + repo + "/blobs/uploads/", new byte[0]);
    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(header(r, "Docker-Distribution-API-Version")).isEqualTo("registry/2.0");
    assertThat(header(r, "Docker-Upload-UUID")).isNotBlank();
    assertThat(header(r, "Location")).isEqualTo("/v2/" + repo + "/blobs/uploads/" + header(r, "Docker-Upload-UUID"));
    return header(r, "Location");
  }

  private void assertStored(String repo, Digest digest, byte[] content) {
    HttpResponse<byte[]> r = http.get("/v2/" + repo + "/blobs/" + digest);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(content);
  }

  @Test
  void post_withDigest_isMonolithicAndReturns201WithBlobLocation() {
    HttpResponse<byte[]> r = http.send("POST", "/v2/lib/app/blobs/uploads/?digest=" + DIGEST, CONTENT);

    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(header(r, "Location")).isEqualTo("/v2/lib/app/blobs/" + DIGEST);
    assertThat(header(r, "Docker-Content-Digest")).isEqualTo(DIGEST.toString());
    assertThat(header(r, "Docker-Distribution-API-Version")).isEqualTo("registry/2.0");
    assertStored("lib/app", DIGEST, CONTENT);
  }

  @Test
  void postThenPut_withBody_commitsBlob() {
    String location = startSession("lib/app");

    HttpResponse<byte[]> r = http.send("PUT", location + "?digest=" + DIGEST, CONTENT);

    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(header(r, "Location")).isEqualTo("/v2/lib/app/blobs/" + DIGEST);
    assertStored("lib/app", DIGEST, CONTENT);
  }

  @Test
  void chunkedPatches_thenEmptyPut_commitBlob() {
    String location = startSession("lib/app");

    HttpResponse<byte[]> first = http.send("PATCH", location, Arrays.copyOfRange(CONTENT, 0, 5),
        "Content-Range", "0-4", "Content-Type", "application/octet-stream");
    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(header(first, "Range")).isEqualTo("0-4");
    HttpResponse<byte[]> second = http.send("PATCH", header(first, "Location"),
        Arrays.copyOfRange(CONTENT, 5, CONTENT.length), "Content-Range", "5-19");
    assertThat(second.statusCode()).isEqualTo(202);
    assertThat(header(second, "Range")).isEqualTo("0-19");

    HttpResponse<byte[]> close = http.send("PUT", header(second, "Location") + "?digest=" + DIGEST,
        (byte[]) null);

    assertThat(close.statusCode()).isEqualTo(201);
    assertStored("lib/app", DIGEST, CONTENT);
  }

  @Test
  void patch_outOfOrder_returns416WithCurrentRange() {
    String location = startSession("lib/app");
    http.send("PATCH", location, Arrays.copyOfRange(CONTENT, 0, 5), "Content-Range", "0-4");

    HttpResponse<byte[]> r = http.send("PATCH", location, Arrays.copyOfRange(CONTENT, 10, 15),
        "Content-Range", "10-14");

    assertError(r, 416, "RANGE_INVALID");
    assertThat(header(r, "Range")).isEqualTo("0-4");
    HttpResponse<byte[]> status = http.get(location);
    assertThat(header(status, "Range")).isEqualTo("0-4");
  }

  @Test
  void get_uploadStatus_returns204WithRangeAndUuid() {
    String location = startSession("lib/app");
    http.send("PATCH", location, Arrays.copyOfRange(CONTENT, 0, 7), "Content-Range", "0-6");

    HttpResponse<byte[]> r = http.get(location);

    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(header(r, "Range")).isEqualTo("0-6");
    assertThat(location).endsWith(header(r, "Docker-Upload-UUID"));
    assertThat(header(r, "Location")).isEqualTo(location);
  }

  @Test
  void delete_upload_cancelsIt() {
    String location = startSession("lib/app");

    assertThat(http.delete(location).statusCode()).isEqualTo(204);

    assertError(http.get(location), 404, "BLOB_UPLOAD_UNKNOWN");
    assertError(http.delete(location), 404, "BLOB_UPLOAD_UNKNOWN");
  }

  @Test
  void put_wrongDigest_failsWithDigestInvalidAndStoresNothing() {
    String location = startSession("lib/app");
    Digest wrong = Digest.sha256("something else".getBytes(StandardCharsets.UTF_8));

    HttpResponse<byte[]> r = http.send("PUT", location + "?digest=" + wrong, CONTENT);

    assertError(r, 400, "DIGEST_INVALID");
    assertThat(registry.store().stat(DIGEST)).isEmpty();
    assertThat(registry.store().stat(wrong)).isEmpty();
    assertError(http.get(location), 404, "BLOB_UPLOAD_UNKNOWN");
  }

  @Test
  void put_withoutDigest_failsWithDigestInvalid() {
    String location = startSession("lib/app");

    assertError(http.send("PUT", location, CONTENT), 400, "DIGEST_INVALID");
  }

  @Test
  void upload_usedUnderAnotherRepository_isUnknownThere() {
    String location = startSession("lib/app");
    String foreign = location.replace("/v2/lib/app/", "/v2/lib/other/");

    assertError(http.send("PUT", foreign + "?digest=" + DIGEST, CONTENT), 404, "BLOB_UPLOAD_UNKNOWN");

    assertThat(http.send("PUT", location + "?digest=" + DIGEST, CONTENT).statusCode()).isEqualTo(201);
    assertError(http.get("/v2/lib/other/blobs/" + DIGEST), 404, "BLOB_UNKNOWN");
  }

  @Test
  void patch_unknownUpload_returnsBlobUploadUnknown() {
    assertError(http.send("PATCH", "/v2/lib/app/blobs/uploads/no-such-upload", CONTENT), 404,
        "BLOB_UPLOAD_UNKNOWN");
  }

  @Test
  void post_sha512Digest_isAccepted() {
    Digest sha512 = Digest.compute(Digest.Algorithm.SHA512, CONTENT);

    HttpResponse<byte[]> r = http.send("POST", "/v2/lib/app/blobs/uploads/?digest=" + sha512, CONTENT);

    assertThat(r.statusCode()).isEqualTo(201);
    assertStored("lib/app", sha512, CONTENT);
  }

  @Test
  void mount_fromRepositoryHoldingBlob_links201() {
    Digest digest = http.pushBlob("lib/source", CONTENT);

    HttpResponse<byte[]> r = http.send("POST",
        "/v2/lib/target/blobs/uploads/?mount=" + digest + "&from=lib/source", new byte[0]);

    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(header(r, "Location")).isEqualTo("/v2/lib/target/blobs/" + digest);
    assertStored("lib/target", digest, CONTENT);
  }

  @Test
  void mount_fromRepositoryWithoutBlob_startsUploadSession202() {
    http.pushBlob("lib/elsewhere", CONTENT);

    HttpResponse<byte[]> r = http.send("POST",
        "/v2/lib/target/blobs/uploads/?mount=" + DIGEST + "&from=lib/source", new byte[0]);

    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(header(r, "Location")).startsWith("/v2/lib/target/blobs/uploads/");
    assertError(http.get("/v2/lib/target/blobs/" + DIGEST), 404, "BLOB_UNKNOWN");
  }

  @Test
  void mount_withoutFrom_linksAnyStoredBlob() {
    http.pushBlob("lib/elsewhere", CONTENT);

    HttpResponse<byte[]> r = http.send("POST", "/v2/lib/target/blobs/uploads/?mount=" + DIGEST,
        new byte[0]);

    assertThat(r.statusCode()).isEqualTo(201);
    assertStored("lib/target", DIGEST, CONTENT);
  }

  @Test
  void mount_withoutFrom_unknownBlob_returns202() {
    HttpResponse<byte[]> r = http.send("POST", "/v2/lib/target/blobs/uploads/?mount=" + DIGEST,
        new byte[0]);

    assertThat(r.statusCode()).isEqualTo(202);
  }

  @Test
  void patch_whileAnotherPatchStreams_isRefusedAsBusy() throws Exception {
    String location = startSession("lib/app");
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.io.InputStream stalled = new java.io.InputStream() {
      private int sent;

      @Override
      public int read() {
        if (sent == 4) {
          try {
            release.await(30, java.util.concurrent.TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return -1;
        }
        return 'a' + sent++;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        int c = read();
        if (c < 0) {
          return -1;
        }
        b[off] = (byte) c;
        return 1;
      }
    };
    java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
        .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
    var first = client.sendAsync(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(registry.baseUrl() + location))
            .method("PATCH", BodyPublishers.ofInputStream(() -> stalled)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    // Wait until the first PATCH holds the upload: then even a status GET is refused as busy.
    long deadline = System.nanoTime() + 10_000_000_000L;
    do {
      Thread.sleep(200);
    } while (http.get(location).statusCode() != 400 && System.nanoTime() < deadline);
    HttpResponse<byte[]> second = http.send("PATCH", location, CONTENT);
    release.countDown();

    assertError(second, 400, "BLOB_UPLOAD_INVALID");
    assertThat(first.get(30, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(202);
    assertThat(header(http.get(location), "Range")).isEqualTo("0-3");
  }

  @Test
  void patch_overChunkLimit_returns413AndCancelsUpload() {
    String location = startSession("lib/app");
    byte[] big = new byte[1024 * 1024 + 1];

    HttpResponse<byte[]> r = http.send("PATCH", location, big);

    assertError(r, 413, "SIZE_INVALID");
  }

  @Test
  void patch_streamedBodyOverChunkLimit_returns413() {
    String location = startSession("lib/app");
    byte[] big = new byte[3 * 1024 * 1024];

    // ofInputStream has no known length: sent chunked, so only the streaming check can catch it.
    HttpResponse<byte[]> r = http.send("PATCH", location,
        BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)));

    assertError(r, 413, "SIZE_INVALID");
    assertError(http.get(location), 404, "BLOB_UPLOAD_UNKNOWN");
  }

  @Test
  void streamedChunks_ofSeveralMegabytes_commitExactDigest() {
    pushThreeStreamedChunks(http);
  }

  @Test
  void streamedChunks_overHttp2_commitExactDigest() {
    pushThreeStreamedChunks(new RegistryHttp(registry.baseUrl(), java.net.http.HttpClient.Version.HTTP_2));
  }

  private void pushThreeStreamedChunks(RegistryHttp http) {
    byte[] big = new byte[900 * 1024];
    new Random(3).nextBytes(big);
    String location = startSession("lib/app");
    long offset = 0;
    for (int i = 0; i < 3; i++) {
      HttpResponse<byte[]> r = http.send("PATCH", location,
          BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)),
          "Content-Type", "application/octet-stream");
      assertThat(r.statusCode()).isEqualTo(202);
      offset += big.length;
      assertThat(header(r, "Range")).isEqualTo("0-" + (offset - 1));
    }
    java.security.MessageDigest sha = Digest.Algorithm.SHA256.newHasher();
    for (int i = 0; i < 3; i++) {
      sha.update(big);
    }
    Digest expected = Digest.of(Digest.Algorithm.SHA256, sha.digest());

    HttpResponse<byte[]> close = http.send("PUT", location + "?digest=" + expected, (byte[]) null);

    assertThat(close.statusCode()).isEqualTo(201);
    assertThat(registry.store().stat(expected)).get().extracting(i -> i.size()).isEqualTo(offset);
  }
}
