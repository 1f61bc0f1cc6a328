package dev.refit.registry.server;

import static dev.refit.registry.server.RegistryHttp.assertError;
import static dev.refit.registry.server.RegistryHttp.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.registry.oci.Digest;
import dev.refit.registry.testkit.InProcessRegistry;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobHandlersTest {
  private static final byte[] CONTENT = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);

  @TempDir Path root;
  private InProcessRegistry registry;
  private RegistryHttp http;
  private Digest digest;

  @BeforeEach
  void start() {
    registry = InProcessRegistry.start(root);
    http = new RegistryHttp(registry.baseUrl());
    digest = http.pushBlob("lib/app", CONTENT);
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  @Test
  void get_pushedBlob_returnsBytesWithDigestTypeAndLength() {
    HttpResponse<byte[]> r = http.get("/v2/lib/app/blobs/" + digest);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(CONTENT);
    assertThat(header(r, "Docker-Content-Digest")).isEqualTo(digest.toString());
    assertThat(header(r, "Content-Type")).isEqualTo("application/octet-stream");
    assertThat(header(r, "Content-Length")).isEqualTo("20");
    assertThat(header(r, "Docker-Distribution-API-Version")).isEqualTo("registry/2.0");
  }

  @Test
  void head_pushedBlob_hasLengthAndDigestButNoBody() {
    HttpResponse<byte[]> r = http.head("/v2/lib/app/blobs/" + digest);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
    assertThat(header(r, "Content-Length")).isEqualTo("20");
    assertThat(header(r, "Docker-Content-Digest")).isEqualTo(digest.toString());
  }

  @Test
  void get_closedRange_returns206WithThatSlice() {
    HttpResponse<byte[]> r = http.get("/v2/lib/app/blobs/" + digest, "Range", "bytes=2-5");

    assertThat(r.statusCode()).isEqualTo(206);
    assertThat(new String(r.body(), StandardCharsets.US_ASCII)).isEqualTo("2345");
    assertThat(header(r, "Content-Range")).isEqualTo("bytes 2-5/20");
    assertThat(header(r, "Content-Length")).isEqualTo("4");
  }

  @Test
  void get_openEndedRange_returnsTail() {
    HttpResponse<byte[]> r = http.get("/v2/lib/app/blobs/" + digest, "Range", "bytes=15-");

    assertThat(r.statusCode()).isEqualTo(206);
    assertThat(r.body()).isEqualTo(Arrays.copyOfRange(CONTENT, 15, 20));
    assertThat(header(r, "Content-Range")).isEqualTo("bytes 15-19/20");
  }

  @Test
  void get_suffixRange_returnsLastBytes() {
    HttpResponse<byte[]> r = http.get("/v2/lib/app/blobs/" + digest, "Range", "bytes=-3");

    assertThat(r.statusCode()).isEqualTo(206);
    assertThat(new String(r.body(), StandardCharsets.US_ASCII)).isEqualTo("hij");
    assertThat(header(r, "Content-Range")).isEqualTo("bytes 17-19/20");
    assertThat(header(r, "Content-Length")).isEqualTo("3");
  }

  @Test
  void get_rangePastEnd_returns416WithSizeAndConsistentLength() {
    HttpResponse<byte[]> r = http.get("/v2/lib/app/blobs/" + digest, "Range", "bytes=20-30");

    assertError(r, 416, "RANGE_INVALID");
    assertThat(header(r, "Content-Range")).isEqualTo("bytes */20");
  }

  @Test
  void get_unknownDigest_returnsBlobUnknown() {
    Digest other = Digest.sha256("nope".getBytes(StandardCharsets.UTF_8));

    assertError(http.get("/v2/lib/app/blobs/" + other), 404, "BLOB_UNKNOWN");
  }

  @Test
  void get_blobOfAnotherRepository_returnsBlobUnknown() {
    assertError(http.get("/v2/lib/other/blobs/" + digest), 404, "BLOB_UNKNOWN");
  }

  @Test
  void head_unknownDigest_returns404WithoutBody() {
    Digest other = Digest.sha256("nope".getBytes(StandardCharsets.UTF_8));
    HttpResponse<byte[]> r = http.head("/v2/lib/app/blobs/" + other);

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).isEmpty();
  }

  @Test
  void get_malformedDigest_returnsDigestInvalid() {
    assertError(http.get("/v2/lib/app/blobs/sha256:abc"), 400, "DIGEST_INVALID");
    assertError(http.get("/v2/lib/app/blobs/md5:d41d8cd98f00b204e9800998ecf8427e"), 400,
        "DIGEST_INVALID");
  }

  @Test
  void delete_linkedBlob_returns202ThenUnknown() {
    HttpResponse<byte[]> r = http.delete("/v2/lib/app/blobs/" + digest);

    assertThat(r.statusCode()).isEqualTo(202);
    assertError(http.get("/v2/lib/app/blobs/" + digest), 404, "BLOB_UNKNOWN");
    assertError(http.delete("/v2/lib/app/blobs/" + digest), 404, "BLOB_UNKNOWN");
  }

  @Test
  void get_overHttp2WithRange_streamsExactSlice() {
    byte[] big = new byte[2 * 1024 * 1024 + 5];
    new java.util.Random(11).nextBytes(big);
    Digest bigDigest = http.pushBlob("lib/app", big);
    RegistryHttp h2 = new RegistryHttp(registry.baseUrl(), java.net.http.HttpClient.Version.HTTP_2);

    HttpResponse<byte[]> whole = h2.get("/v2/lib/app/blobs/" + bigDigest);
    HttpResponse<byte[]> slice = h2.get("/v2/lib/app/blobs/" + bigDigest, "Range", "bytes=1000-1048575");

    assertThat(Digest.sha256(whole.body())).isEqualTo(bigDigest);
    assertThat(slice.statusCode()).isEqualTo(206);
    assertThat(slice.body()).isEqualTo(Arrays.copyOfRange(big, 1000, 1048576));
  }

  @Test
  void get_largeBlob_streamsExactBytes() {
    byte[] big = new byte[3 * 1024 * 1024 + 17];
    new java.util.Random(7).nextBytes(big);
    Digest bigDigest = http.pushBlob("lib/app", big);

    HttpResponse<byte[]> r = http.get("/v2/lib/app/blobs/" + bigDigest);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(Digest.sha256(r.body())).isEqualTo(bigDigest);
  }
}
