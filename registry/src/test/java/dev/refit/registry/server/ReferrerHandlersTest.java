package dev.refit.registry.server;

import static dev.refit.registry.server.RegistryHttp.assertError;
import static dev.refit.registry.server.RegistryHttp.header;
import static dev.refit.registry.server.RegistryHttp.json;
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

class ReferrerHandlersTest {
  private static final String SBOM = "application/vnd.example.sbom.v1";
  private static final String SIG = "application/vnd.example.signature.v1";

  @TempDir Path root;
  private InProcessRegistry registry;
  private RegistryHttp http;
  private Digest subject;
  private byte[] subjectManifest;

  @BeforeEach
  void start() {
    registry = InProcessRegistry.start(root);
    http = new RegistryHttp(registry.baseUrl());
    subjectManifest = http.pushSmallImage("lib/app", "subject");
    subject = http.pushManifest("lib/app", "v1", subjectManifest, MediaType.OCI_MANIFEST);
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  private Digest pushReferrer(String artifactType, Map<String, String> annotations) {
    byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
    http.pushBlob("lib/app", config);
    JsonObject subjectDescriptor = new JsonObject().put("mediaType", MediaType.OCI_MANIFEST)
        .put("digest", subject.toString()).put("size", subjectManifest.length);
    byte[] manifest = RegistryHttp.imageManifest(config, List.of(), subjectDescriptor, artifactType,
        annotations);
    return http.pushManifest("lib/app", Digest.sha256(manifest).toString(), manifest,
        MediaType.OCI_MANIFEST);
  }

  @Test
  void referrers_none_returnsEmptyIndexNot404() {
    HttpResponse<byte[]> r = http.get("/v2/lib/app/referrers/" + subject);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(header(r, "Content-Type")).isEqualTo(MediaType.OCI_INDEX);
    assertThat(json(r).getInteger("schemaVersion")).isEqualTo(2);
    assertThat(json(r).getString("mediaType")).isEqualTo(MediaType.OCI_INDEX);
    assertThat(json(r).getJsonArray("manifests")).isEmpty();
    assertThat(header(r, "OCI-Filters-Applied")).isNull();
  }

  @Test
  void referrers_listsEachReferrerWithArtifactTypeAndAnnotations() {
    Digest sbom = pushReferrer(SBOM, Map.of("org.example.format", "json"));
    Digest sig = pushReferrer(SIG, Map.of());

    JsonArray manifests = json(http.get("/v2/lib/app/referrers/" + subject)).getJsonArray("manifests");

    assertThat(manifests).hasSize(2);
    JsonObject sbomEntry = find(manifests, sbom);
    assertThat(sbomEntry.getString("artifactType")).isEqualTo(SBOM);
    assertThat(sbomEntry.getString("mediaType")).isEqualTo(MediaType.OCI_MANIFEST);
    assertThat(sbomEntry.getJsonObject("annotations").getString("org.example.format")).isEqualTo("json");
    assertThat(find(manifests, sig).getString("artifactType")).isEqualTo(SIG);
  }

  @Test
  void referrers_filteredByArtifactType_setsFiltersAppliedHeader() {
    Digest sbom = pushReferrer(SBOM, Map.of());
    pushReferrer(SIG, Map.of());

    HttpResponse<byte[]> r = http.get("/v2/lib/app/referrers/" + subject + "?artifactType=" + SBOM);

    assertThat(header(r, "OCI-Filters-Applied")).isEqualTo("artifactType");
    JsonArray manifests = json(r).getJsonArray("manifests");
    assertThat(manifests).hasSize(1);
    assertThat(manifests.getJsonObject(0).getString("digest")).isEqualTo(sbom.toString());
  }

  @Test
  void referrers_manifestWithoutArtifactType_reportsConfigMediaType() {
    byte[] config = "{\"kind\":\"sbom\"}".getBytes(StandardCharsets.UTF_8);
    http.pushBlob("lib/app", config);
    JsonObject manifest = new JsonObject().put("schemaVersion", 2).put("mediaType", MediaType.OCI_MANIFEST)
        .put("config", RegistryHttp.descriptor("application/vnd.example.config.v1+json", config))
        .put("layers", new JsonArray())
        .put("subject", new JsonObject().put("mediaType", MediaType.OCI_MANIFEST)
            .put("digest", subject.toString()).put("size", subjectManifest.length));
    byte[] bytes = manifest.encode().getBytes(StandardCharsets.UTF_8);
    Digest referrer = http.pushManifest("lib/app", "sbom", bytes, MediaType.OCI_MANIFEST);

    JsonArray manifests = json(http.get("/v2/lib/app/referrers/" + subject)).getJsonArray("manifests");

    assertThat(find(manifests, referrer).getString("artifactType"))
        .isEqualTo("application/vnd.example.config.v1+json");
    assertThat(find(manifests, referrer).getLong("size")).isEqualTo(bytes.length);
  }

  @Test
  void referrers_deletedReferrer_disappears() {
    Digest sbom = pushReferrer(SBOM, Map.of());

    assertThat(http.delete("/v2/lib/app/manifests/" + sbom).statusCode()).isEqualTo(202);

    assertThat(json(http.get("/v2/lib/app/referrers/" + subject)).getJsonArray("manifests")).isEmpty();
  }

  @Test
  void referrers_invalidDigest_returns400() {
    assertError(http.get("/v2/lib/app/referrers/sha256:short"), 400, "DIGEST_INVALID");
  }

  private static JsonObject find(JsonArray manifests, Digest digest) {
    for (int i = 0; i < manifests.size(); i++) {
      if (manifests.getJsonObject(i).getString("digest").equals(digest.toString())) {
        return manifests.getJsonObject(i);
      }
    }
    throw new AssertionError("no referrer " + digest + " in " + manifests.encode());
  }
}
