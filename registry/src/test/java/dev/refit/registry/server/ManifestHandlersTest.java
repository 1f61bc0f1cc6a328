package dev.refit.registry.server;

import static dev.refit.registry.server.RegistryHttp.assertError;
import static dev.refit.registry.server.RegistryHttp.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.testkit.InProcessRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestHandlersTest {
  @TempDir Path root;
  private InProcessRegistry registry;
  private RegistryHttp http;

  @BeforeEach
  void start() {
    registry = InProcessRegistry.start(root);
    http = new RegistryHttp(registry.baseUrl());
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  @Test
  void putByTag_thenGetByTagAndDigest_returnsExactBytes() {
    byte[] manifest = http.pushSmallImage("lib/app", "a");

    HttpResponse<byte[]> put = http.send("PUT", "/v2/lib/app/manifests/v1", manifest,
        "Content-Type", MediaType.OCI_MANIFEST);

    Digest digest = Digest.sha256(manifest);
    assertThat(put.statusCode()).isEqualTo(201);
    assertThat(header(put, "Docker-Content-Digest")).isEqualTo(digest.toString());
    assertThat(header(put, "Location")).isEqualTo("/v2/lib/app/manifests/" + digest);
    for (String ref : List.of("v1", digest.toString())) {
      HttpResponse<byte[]> get = http.get("/v2/lib/app/manifests/" + ref);
      assertThat(get.statusCode()).isEqualTo(200);
      assertThat(get.body()).isEqualTo(manifest);
      assertThat(header(get, "Content-Type")).isEqualTo(MediaType.OCI_MANIFEST);
      assertThat(header(get, "Docker-Content-Digest")).isEqualTo(digest.toString());
      assertThat(header(get, "Content-Length")).isEqualTo(Integer.toString(manifest.length));
    }
  }

  @Test
  void head_manifest_hasTypeDigestAndLengthWithoutBody() {
    byte[] manifest = http.pushSmallImage("lib/app", "h");
    http.pushManifest("lib/app", "v1", manifest, MediaType.OCI_MANIFEST);

    HttpResponse<byte[]> r = http.head("/v2/lib/app/manifests/v1");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
    assertThat(header(r, "Content-Length")).isEqualTo(Integer.toString(manifest.length));
    assertThat(header(r, "Content-Type")).isEqualTo(MediaType.OCI_MANIFEST);
    assertThat(header(r, "Docker-Content-Digest")).isEqualTo(Digest.sha256(manifest).toString());
  }

  @Test
  void put_dockerSchema2_isServedUnchangedWithItsType() {
    byte[] config = "{\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
    byte[] layer = "docker layer".getBytes(StandardCharsets.UTF_8);
    http.pushBlob("lib/docker", config);
    http.pushBlob("lib/docker", layer);
    // Odd spacing on purpose: the registry must not re-serialise.
    String json = "{\n   \"schemaVersion\": 2,\n   \"mediaType\": \"" + MediaType.DOCKER_MANIFEST + "\",\n"
        + "   \"config\": {\"mediaType\": \"" + MediaType.DOCKER_CONFIG + "\", \"size\": "
        + config.length + ", \"digest\": \"" + Digest.sha256(config) + "\"},\n"
        + "   \"layers\": [ {\"mediaType\": \"" + MediaType.DOCKER_LAYER_GZIP + "\", \"size\": "
        + layer.length + ", \"digest\": \"" + Digest.sha256(layer) + "\"} ]\n}";
    byte[] manifest = json.getBytes(StandardCharsets.UTF_8);
    http.pushManifest("lib/docker", "latest", manifest, MediaType.DOCKER_MANIFEST);

    HttpResponse<byte[]> r = http.get("/v2/lib/docker/manifests/latest");

    assertThat(r.body()).isEqualTo(manifest);
    assertThat(header(r, "Content-Type")).isEqualTo(MediaType.DOCKER_MANIFEST);
  }

  @Test
  void put_manifestListWithoutMediaTypeField_servedWithPutContentType() {
    byte[] child = http.pushSmallImage("lib/multi", "c");
    Digest childDigest = http.pushManifest("lib/multi", childDigestRef(child), child,
        MediaType.OCI_MANIFEST);
    byte[] list = new JsonObject().put("schemaVersion", 2).put("manifests", new JsonArray().add(
        new JsonObject().put("mediaType", MediaType.DOCKER_MANIFEST).put("digest", childDigest.toString())
            .put("size", child.length)
            .put("platform", new JsonObject().put("os", "linux").put("architecture", "amd64"))))
        .encode().getBytes(StandardCharsets.UTF_8);

    http.pushManifest("lib/multi", "latest", list, MediaType.DOCKER_MANIFEST_LIST);

    HttpResponse<byte[]> r = http.get("/v2/lib/multi/manifests/latest");
    assertThat(r.body()).isEqualTo(list);
    assertThat(header(r, "Content-Type")).isEqualTo(MediaType.DOCKER_MANIFEST_LIST);
  }

  private static String childDigestRef(byte[] manifest) {
    return Digest.sha256(manifest).toString();
  }

  @Test
  void put_indexWithUnknownChild_failsWithManifestBlobUnknown() {
    Digest missing = Digest.sha256("missing".getBytes(StandardCharsets.UTF_8));
    byte[] index = new JsonObject().put("schemaVersion", 2).put("mediaType", MediaType.OCI_INDEX)
        .put("manifests", new JsonArray().add(new JsonObject()
            .put("mediaType", MediaType.OCI_MANIFEST).put("digest", missing.toString()).put("size", 7)))
        .encode().getBytes(StandardCharsets.UTF_8);

    HttpResponse<byte[]> r = http.send("PUT", "/v2/lib/app/manifests/idx", index,
        "Content-Type", MediaType.OCI_INDEX);

    assertError(r, 400, "MANIFEST_BLOB_UNKNOWN");
    assertError(http.get("/v2/lib/app/manifests/idx"), 404, "MANIFEST_UNKNOWN");
  }

  @Test
  void put_layerMissing_failsWithManifestBlobUnknown() {
    byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
    http.pushBlob("lib/app", config);
    byte[] manifest = RegistryHttp.imageManifest(config,
        List.of("never pushed".getBytes(StandardCharsets.UTF_8)), null, null, Map.of());

    HttpResponse<byte[]> r = http.send("PUT", "/v2/lib/app/manifests/v1", manifest,
        "Content-Type", MediaType.OCI_MANIFEST);

    assertError(r, 400, "MANIFEST_BLOB_UNKNOWN");
  }

  @Test
  void put_fourMebibyteManifest_isAccepted() {
    byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
    http.pushBlob("lib/big", config);
    String padding = "x".repeat(4 * 1024 * 1024 - 400);
    byte[] manifest = new JsonObject(new String(RegistryHttp.imageManifest(config, List.of(), null,
        null, Map.of("pad", padding)), StandardCharsets.UTF_8)).encode().getBytes(StandardCharsets.UTF_8);
    assertThat(manifest.length).isGreaterThan(4 * 1024 * 1024 - 400).isLessThanOrEqualTo(4 * 1024 * 1024);

    Digest digest = http.pushManifest("lib/big", "huge", manifest, MediaType.OCI_MANIFEST);

    assertThat(Digest.sha256(http.get("/v2/lib/big/manifests/huge").body())).isEqualTo(digest);
  }

  @Test
  void put_overLimit_returns413() {
    byte[] manifest = new byte[(int) RegistryConfig.DEFAULT_MAX_MANIFEST_BYTES + 1];
    java.util.Arrays.fill(manifest, (byte) ' ');

    HttpResponse<byte[]> r = http.send("PUT", "/v2/lib/app/manifests/v1", manifest,
        "Content-Type", MediaType.OCI_MANIFEST);

    assertError(r, 413, "SIZE_INVALID");
  }

  @Test
  void put_withMissingSubject_isAcceptedAndEchoesOciSubject() {
    byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
    http.pushBlob("lib/app", config);
    Digest subject = Digest.sha256("not pushed yet".getBytes(StandardCharsets.UTF_8));
    byte[] manifest = RegistryHttp.imageManifest(config, List.of(),
        new JsonObject().put("mediaType", MediaType.OCI_MANIFEST).put("digest", subject.toString())
            .put("size", 14), "application/vnd.example.sbom", Map.of());

    HttpResponse<byte[]> r = http.send("PUT", "/v2/lib/app/manifests/" + Digest.sha256(manifest),
        manifest, "Content-Type", MediaType.OCI_MANIFEST);

    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(header(r, "OCI-Subject")).isEqualTo(subject.toString());
  }

  @Test
  void putByDigest_mismatch_failsWithDigestInvalid() {
    byte[] manifest = http.pushSmallImage("lib/app", "d");
    Digest wrong = Digest.sha256("other".getBytes(StandardCharsets.UTF_8));

    HttpResponse<byte[]> r = http.send("PUT", "/v2/lib/app/manifests/" + wrong, manifest,
        "Content-Type", MediaType.OCI_MANIFEST);

    assertError(r, 400, "DIGEST_INVALID");
    assertError(http.get("/v2/lib/app/manifests/" + wrong), 404, "MANIFEST_UNKNOWN");
  }

  @Test
  void putBySha512Digest_thenGet_roundTrips() {
    byte[] manifest = http.pushSmallImage("lib/app", "512");
    Digest sha512 = Digest.compute(Digest.Algorithm.SHA512, manifest);

    HttpResponse<byte[]> put = http.send("PUT", "/v2/lib/app/manifests/" + sha512, manifest,
        "Content-Type", MediaType.OCI_MANIFEST);

    assertThat(put.statusCode()).isEqualTo(201);
    assertThat(header(put, "Docker-Content-Digest")).isEqualTo(sha512.toString());
    HttpResponse<byte[]> get = http.get("/v2/lib/app/manifests/" + sha512);
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.body()).isEqualTo(manifest);
    assertThat(header(get, "Docker-Content-Digest")).isEqualTo(sha512.toString());
  }

  @Test
  void put_malformedJson_failsWithManifestInvalid() {
    HttpResponse<byte[]> r = http.send("PUT", "/v2/lib/app/manifests/v1",
        "{\"schemaVersion\": 2, \"layers\": [".getBytes(StandardCharsets.UTF_8),
        "Content-Type", MediaType.OCI_MANIFEST);

    assertError(r, 400, "MANIFEST_INVALID");
  }

  @Test
  void deleteTag_keepsManifestByDigest() {
    byte[] manifest = http.pushSmallImage("lib/app", "t");
    Digest digest = http.pushManifest("lib/app", "v1", manifest, MediaType.OCI_MANIFEST);

    assertThat(http.delete("/v2/lib/app/manifests/v1").statusCode()).isEqualTo(202);

    assertError(http.get("/v2/lib/app/manifests/v1"), 404, "MANIFEST_UNKNOWN");
    assertThat(http.get("/v2/lib/app/manifests/" + digest).statusCode()).isEqualTo(200);
  }

  @Test
  void deleteDigest_removesManifestAndItsTags() {
    byte[] manifest = http.pushSmallImage("lib/app", "x");
    Digest digest = http.pushManifest("lib/app", "v1", manifest, MediaType.OCI_MANIFEST);

    assertThat(http.delete("/v2/lib/app/manifests/" + digest).statusCode()).isEqualTo(202);

    assertError(http.get("/v2/lib/app/manifests/" + digest), 404, "MANIFEST_UNKNOWN");
    assertError(http.get("/v2/lib/app/manifests/v1"), 404, "MANIFEST_UNKNOWN");
    assertError(http.delete("/v2/lib/app/manifests/" + digest), 404, "MANIFEST_UNKNOWN");
  }

  @Test
  void get_unknownTag_returnsManifestUnknown() {
    assertError(http.get("/v2/lib/app/manifests/nope"), 404, "MANIFEST_UNKNOWN");
  }

  @Test
  void getAndDelete_invalidTag_areUnknownButPutIsInvalid() {
    assertError(http.get("/v2/lib/app/manifests/.INVALID"), 404, "MANIFEST_UNKNOWN");
    assertError(http.head("/v2/lib/app/manifests/.INVALID"), 404, "MANIFEST_UNKNOWN");
    assertError(http.delete("/v2/lib/app/manifests/.INVALID"), 404, "MANIFEST_UNKNOWN");
    assertError(http.send("PUT", "/v2/lib/app/manifests/.INVALID", http.pushSmallImage("lib/app", "i"),
        "Content-Type", MediaType.OCI_MANIFEST), 400, "MANIFEST_INVALID");
    assertError(http.get("/v2/lib/app/manifests/sha256:short"), 400, "DIGEST_INVALID");
  }
}
