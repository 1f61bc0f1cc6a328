package dev.refit.registry.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.registry.conformance.ConformanceData.Blob;
import dev.refit.registry.conformance.ConformanceData.Chunked;
import dev.refit.registry.conformance.OciWire.Reply;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite's Push workflow (distribution-spec "Push" category, end-4a..end-7 and
 * end-11): streamed, monolithic (POST-only and POST then PUT) and chunked blob uploads,
 * cross-repository mounts with and without {@code from}, and manifest uploads including
 * artifacts, indexes and a manifest whose subject does not exist. Each case makes the uploads it
 * reads itself, so one case's failure cannot skip or break another; the order only follows the
 * suite's report. Not thread-safe.
 */
@DisplayName("Push")
class PushConformanceTest extends ConformanceWorkflow {
  private final String crossmountNamespace = "conformance-" + UUID.randomUUID();
  private Chunked chunked = ConformanceData.Chunked.of(data.randomBlob(42));

  /** A new chunked session; grows the chunked blob when the registry demands bigger chunks (end-5). */
  private Reply chunkedSession() {
    Reply session = call("POST", repo("/blobs/uploads/")).body(new byte[0]).send();
    assertLocation(session);
    String minLength = session.header("OCI-Chunk-Min-Length");
    if (!minLength.isEmpty() && Integer.parseInt(minLength) > chunked.first().length) {
      chunked = Chunked.of(data.randomBlob(Integer.parseInt(minLength) * 2 - 2));
    }
    return session;
  }

  /** PATCH the first or the second half of the chunked blob to {@code at}'s Location. */
  private Reply patchChunk(Reply at, boolean first) {
    return call("PATCH", at.relativeLocation())
        .header("Content-Type", "application/octet-stream")
        .header("Content-Range", first ? chunked.firstRange() : chunked.secondRange())
        .body(first ? chunked.first() : chunked.second())
        .send();
  }

  private Reply patchFirstChunk(Reply session) {
    Reply reply = patchChunk(session, true);
    assertStatusIn(reply, 202);
    return reply;
  }

  /** POST with {@code ?digest=} and the whole blob as body: a monolithic upload. */
  private Reply postMonolithic(Blob blob) {
    return call("POST", repo("/blobs/uploads/"))
        .query("digest", blob.digest())
        .header("Content-Type", "application/octet-stream")
        .body(blob.content())
        .send();
  }

  /** PATCH the whole of {@code blobA} into a new session (a streamed upload). */
  private Reply patchBlobAIntoNewSession() {
    Reply session = call("POST", repo("/blobs/uploads/")).send();
    assertLocation(session);
    return call("PATCH", session.relativeLocation())
        .header("Content-Type", "application/octet-stream")
        .body(data.blobA.content())
        .send();
  }

  /** The blobs the pushed manifests name (configs, the layer, the empty JSON, reference blobs). */
  private void pushManifestBlobs() {
    for (Blob blob : List.of(data.configs.get(0), data.configs.get(1), data.layer, data.emptyJson,
        data.refBlobA, data.refBlobB)) {
      assertSuccess(pushBlob(blob));
    }
  }

  private Blob pushIndex() {
    pushManifestBlobs();
    assertSuccess(putManifest(ConformanceData.TAG, ConformanceData.OCI_MANIFEST, data.manifests.get(0)));
    Blob index = ConformanceData.index(ConformanceData.ARTIFACT_TYPE_INDEX, ConformanceData.OCI_MANIFEST,
        List.of(data.manifests.get(0)));
    assertSuccess(putManifest(index.digest(), ConformanceData.OCI_INDEX, index));
    return index;
  }

  /** Mounts {@code blobA} from this workflow's repository into the cross-mount namespace. */
  private Reply mountBlobA() {
    assertSuccess(pushBlob(data.blobA));
    return call("POST", repo(crossmountNamespace, "/blobs/uploads/"))
        .query("mount", data.blobA.digest())
        .query("from", name)
        .send();
  }

  // ---- Setup

  @Test
  @Order(1)
  @DisplayName("Push: Upload empty JSON blob needed for further tests")
  void uploadEmptyJsonBlob_succeeds() {
    assertThat(data.emptyJson.digest()).isEqualTo(ConformanceData.EMPTY_JSON_DIGEST);
    assertSuccess(pushBlob(data.emptyJson));
  }

  @Test
  @Order(2)
  @DisplayName("Push: Upload blob needed for further tests")
  void uploadReferenceBlob_succeeds() {
    assertSuccess(pushBlob(data.refBlobA));
    // The dangling-subject artifact's layer: a registry may refuse manifests whose blobs are
    // missing (spec "Pushing Manifests"), and that case is about the subject, not the layer.
    assertSuccess(pushBlob(data.refBlobB));
  }

  // ---- Blob Upload Streamed

  @Test
  @Order(10)
  @DisplayName("Push: PATCH request with blob in body should yield 202 response")
  void patchWithBlobInBody_returns202() {
    assertStatusIn(patchBlobAIntoNewSession(), 202);
  }

  @Test
  @Order(11)
  @DisplayName("Push: PUT request to session URL with digest should yield 201 response")
  void putSessionWithDigest_returns201() {
    Reply patched = patchBlobAIntoNewSession();
    assertStatusIn(patched, 202);
    Reply reply = call("PUT", patched.relativeLocation())
        .query("digest", data.blobA.digest())
        .header("Content-Type", "application/octet-stream")
        .send();
    assertStatusIn(reply, 201);
    assertLocation(reply);
  }

  // ---- Blob Upload Monolithic

  @Test
  @Order(20)
  @DisplayName("Push: GET nonexistent blob should result in 404 response")
  void getNonexistentBlob_returns404() {
    assertStatusIn(call("GET", repo("/blobs/" + data.dummyDigest)).send(), 404);
  }

  @Test
  @Order(21)
  @DisplayName("Push: POST request with digest and blob should yield a 201 or 202")
  void postWithDigestAndBlob_returns201or202() {
    Reply reply = postMonolithic(data.configs.get(1));
    assertLocation(reply);
    assertStatusIn(reply, 201, 202);
  }

  /** The embedded registry completes a POST with digest and body at once (201), so it serves it. */
  @Test
  @Order(22)
  @DisplayName("Push: GET request to blob URL from prior request should yield 200 or 404 based on response code")
  void getBlobFromPriorPost_returns200() {
    Blob config = data.configs.get(2);
    assertStatusIn(postMonolithic(config), 201);
    assertStatusIn(call("GET", repo("/blobs/" + config.digest())).send(), 200);
  }

  @Test
  @Order(23)
  @DisplayName("Push: POST request should yield a session ID")
  void postUpload_returnsSession() {
    Reply reply = call("POST", repo("/blobs/uploads/")).send();
    assertStatusIn(reply, 202);
    assertLocation(reply);
  }

  @Test
  @Order(24)
  @DisplayName("Push: PUT upload of a blob should yield a 201 Response")
  void putUploadOfBlob_returns201() {
    Blob config = data.configs.get(1);
    Reply session = call("POST", repo("/blobs/uploads/")).send();
    assertStatusIn(session, 202);
    Reply reply = call("PUT", session.relativeLocation())
        .query("digest", config.digest())
        .header("Content-Type", "application/octet-stream")
        .body(config.content())
        .send();
    assertLocation(reply);
    assertStatusIn(reply, 201);
  }

  @Test
  @Order(25)
  @DisplayName("Push: GET request to existing blob should yield 200 response")
  void getExistingBlob_returns200() {
    assertSuccess(pushBlob(data.configs.get(1)));
    assertStatusIn(call("GET", repo("/blobs/" + data.configs.get(1).digest())).send(), 200);
  }

  @Test
  @Order(26)
  @DisplayName("Push: PUT upload of a layer blob should yield a 201 Response")
  void putUploadOfLayer_returns201() {
    Reply reply = pushBlob(data.layer);
    assertLocation(reply);
    assertStatusIn(reply, 201);
  }

  @Test
  @Order(27)
  @DisplayName("Push: GET request to existing layer should yield 200 response")
  void getExistingLayer_returns200() {
    assertSuccess(pushBlob(data.layer));
    assertStatusIn(call("GET", repo("/blobs/" + data.layer.digest())).send(), 200);
  }

  // ---- Blob Upload Chunked

  @Test
  @Order(30)
  @DisplayName("Push: Out-of-order blob upload should return 416")
  void outOfOrderChunk_returns416() {
    assertStatusIn(patchChunk(chunkedSession(), false), 416);
  }

  @Test
  @Order(31)
  @DisplayName("Push: PATCH request with first chunk should return 202")
  void patchFirstChunk_returns202() {
    Reply reply = patchFirstChunk(chunkedSession());
    assertThat(reply.header("Range")).as("Range of %s", reply).isEqualTo(chunked.firstRange());
  }

  @Test
  @Order(32)
  @DisplayName("Push: Retry previous blob chunk should return 416")
  void retryPreviousChunk_returns416() {
    Reply session = chunkedSession();
    patchFirstChunk(session);
    assertStatusIn(patchChunk(session, true), 416);
  }

  @Test
  @Order(33)
  @DisplayName("Push: Get on stale blob upload should return 204 with a range and location")
  void getStaleUpload_returns204WithRangeAndLocation() {
    Reply session = chunkedSession();
    patchFirstChunk(session);
    Reply reply = call("GET", session.relativeLocation()).send();
    assertStatusIn(reply, 204);
    assertLocation(reply);
    assertThat(reply.header("Range")).as("Range of %s", reply).isEqualTo(chunked.firstRange());
  }

  @Test
  @Order(34)
  @DisplayName("Push: PATCH request with second chunk should return 202")
  void patchSecondChunk_returns202() {
    Reply reply = patchChunk(patchFirstChunk(chunkedSession()), false);
    assertStatusIn(reply, 202);
    assertThat(reply.header("Range")).as("Range of %s", reply)
        .isEqualTo("0-" + (chunked.blob().length() - 1));
    assertLocation(reply);
  }

  @Test
  @Order(35)
  @DisplayName("Push: PUT request with digest should return 201")
  void putWithDigest_returns201() {
    Reply second = patchChunk(patchFirstChunk(chunkedSession()), false);
    assertStatusIn(second, 202);
    Reply reply = call("PUT", second.relativeLocation())
        .query("digest", chunked.blob().digest())
        .header("Content-Type", "application/octet-stream")
        .body(new byte[0])
        .send();
    assertStatusIn(reply, 201);
    assertLocation(reply);
  }

  // ---- Cross-Repository Blob Mount

  @Test
  @Order(40)
  @DisplayName("Push: Cross-mounting of a blob without the from argument should yield session id")
  void crossMountWithoutFrom_returnsSession() {
    Reply reply = call("POST", repo(crossmountNamespace, "/blobs/uploads/"))
        .query("mount", data.dummyDigest)
        .send();
    assertStatusIn(reply, 202);
    assertLocation(reply);
  }

  /** The embedded registry mounts a blob it holds (end-11), so 201, never the 202 fallback. */
  @Test
  @Order(41)
  @DisplayName("Push: POST request to mount another repository's blob should return 201 or 202")
  void mountFromOtherRepository_returns201() {
    Reply reply = mountBlobA();
    assertStatusIn(reply, 201);
    assertThat(reply.relativeLocation())
        .isEqualTo("/v2/" + crossmountNamespace + "/blobs/" + data.blobA.digest());
  }

  @Test
  @Order(42)
  @DisplayName("Push: GET request to test digest within cross-mount namespace should return 200")
  void getMountedBlob_returns200() {
    Reply mount = mountBlobA();
    assertStatusIn(mount, 201);
    assertStatusIn(call("GET", mount.relativeLocation()).send(), 200);
  }

  /** A blob the source repository does not hold cannot be mounted: a fresh session instead. */
  @Test
  @Order(43)
  @DisplayName("Push: Cross-mounting of nonexistent blob should yield session id")
  void crossMountFallback_yieldsSession() {
    Reply reply = call("POST", repo(crossmountNamespace, "/blobs/uploads/"))
        .query("mount", data.dummyDigest)
        .query("from", name)
        .send();
    assertStatusIn(reply, 202);
    assertThat(reply.relativeLocation())
        .startsWith("/v2/" + crossmountNamespace + "/blobs/uploads/");
  }

  /**
   * The suite's OCI_AUTOMATIC_CROSSMOUNT case: the embedded registry mounts a blob it holds into
   * another repository even without {@code from} (end-11 lets it; UploadHandlers#mount). It has
   * no mode without, so the suite's "disabled" case has nothing to test here.
   */
  @Test
  @Order(44)
  @DisplayName("Push: Cross-mounting without from, and automatic content discovery enabled should return a 201")
  void crossMountWithoutFromAutomatic_returns201() {
    assertSuccess(pushBlob(data.blobA));
    Reply reply = call("POST", repo("conformance-" + UUID.randomUUID(), "/blobs/uploads/"))
        .query("mount", data.blobA.digest())
        .send();
    assertStatusIn(reply, 201);
  }

  // ---- Manifest Upload

  @Test
  @Order(50)
  @DisplayName("Push: GET nonexistent manifest should return 404")
  void getNonexistentManifest_returns404() {
    assertStatusIn(call("GET", repo("/manifests/" + ConformanceData.NONEXISTENT_MANIFEST)).send(), 404);
  }

  @Test
  @Order(51)
  @DisplayName("Push: PUT should accept a manifest upload")
  void putManifest_returns201() {
    pushManifestBlobs();
    for (int i = 0; i < 4; i++) {
      Reply reply = putManifest("test" + i, ConformanceData.OCI_MANIFEST, data.manifests.get(1));
      assertLocation(reply);
      assertStatusIn(reply, 201);
    }
  }

  /** The suite accepts a refusal here (with a warning); a 201 must carry a Location. */
  @Test
  @Order(52)
  @DisplayName("Push: Registry should accept a manifest upload with no layers")
  void putManifestWithoutLayers_isAcceptedOrRefused() {
    pushManifestBlobs();
    Reply reply = putManifest(ConformanceData.EMPTY_LAYER_TAG, ConformanceData.OCI_MANIFEST,
        data.emptyLayerManifest);
    if (reply.status() == 201) {
      assertLocation(reply);
    } else {
      assertThat(reply.status()).as("refusal of %s", reply).isBetween(400, 499);
    }
  }

  @Test
  @Order(53)
  @DisplayName("Push: GET request to manifest URL (digest) should yield 200 response")
  void getManifestByDigest_returns200() {
    pushManifestBlobs();
    assertSuccess(putManifest("test1", ConformanceData.OCI_MANIFEST, data.manifests.get(1)));
    Reply reply = call("GET", repo("/manifests/" + data.manifests.get(1).digest()))
        .header("Accept", ConformanceData.OCI_MANIFEST).send();
    assertStatusIn(reply, 200);
  }

  @Test
  @Order(54)
  @DisplayName("Push: Registry should accept a manifest upload with custom config/mediaType (as artifact type) [OCI-Image v1.1]")
  void putManifestWithCustomConfigMediaType_succeeds() {
    pushManifestBlobs();
    assertSuccess(putManifest(data.configTypeManifest.digest(), ConformanceData.OCI_MANIFEST,
        data.configTypeManifest));
  }

  @Test
  @Order(55)
  @DisplayName("Push: Registry should accept a manifest upload with custom artifactType [OCI-Image v1.1]")
  void putManifestWithArtifactType_succeeds() {
    pushManifestBlobs();
    assertSuccess(putManifest(data.artifactTypeManifest.digest(), ConformanceData.OCI_MANIFEST,
        data.artifactTypeManifest));
  }

  @Test
  @Order(56)
  @DisplayName("Push: Registry should accept a manifest upload with image index")
  void putImageIndex_succeeds() {
    Blob index = pushIndex();
    assertStatusIn(call("GET", repo("/manifests/" + index.digest()))
        .header("Accept", ConformanceData.OCI_INDEX).send(), 200);
  }

  @Test
  @Order(57)
  @DisplayName("Push: Registry should accept a manifest upload with nested image index [OCI-Image v1.1]")
  void putNestedImageIndex_succeeds() {
    Blob index = pushIndex();
    Blob nested = ConformanceData.index(ConformanceData.ARTIFACT_TYPE_INDEX, ConformanceData.OCI_INDEX,
        List.of(index));
    assertSuccess(putManifest(nested.digest(), ConformanceData.OCI_INDEX, nested));
  }

  /**
   * The suite's pattern here ({@code ^[a-f0-9]+:[a-f0-9]+$}) cannot match any sha256 digest;
   * its other subject cases (and spec end-7) compare OCI-Subject to the subject's digest, as here.
   */
  @Test
  @Order(58)
  @DisplayName("Push: Dangling subject [OCI-Image v1.1]")
  void putManifestWithDanglingSubject_succeedsWithOciSubject() {
    pushManifestBlobs();
    Reply reply = putManifest(data.refsCLayer.digest(), ConformanceData.OCI_MANIFEST, data.refsCLayer);
    assertSuccess(reply);
    assertThat(reply.header("OCI-Subject")).as("OCI-Subject of %s", reply)
        .isEqualTo(data.manifests.get(3).digest());
  }

  // ---- Teardown (manifests before blobs, the suite's default)

  @Test
  @Order(60)
  @DisplayName("Push: Delete manifest created in tests")
  void deleteManifestsCreatedInTests_succeed() {
    pushManifestBlobs();
    for (Blob manifest : List.of(data.manifests.get(1), data.configTypeManifest, data.artifactTypeManifest)) {
      assertSuccess(putManifest(manifest.digest(), ConformanceData.OCI_MANIFEST, manifest));
      assertSuccessOr(delete("/manifests/" + manifest.digest()), 405);
    }
  }

  @Test
  @Order(61)
  @DisplayName("Push: Delete config blob created in tests")
  void deleteConfigBlob_succeeds() {
    assertSuccess(pushBlob(data.configs.get(1)));
    assertSuccessOr(delete("/blobs/" + data.configs.get(1).digest()), 404, 405);
  }

  @Test
  @Order(62)
  @DisplayName("Push: Delete layer blob created in setup")
  void deleteLayerBlob_succeeds() {
    assertSuccess(pushBlob(data.layer));
    assertSuccess(pushBlob(data.emptyJson));
    assertSuccessOr(delete("/blobs/" + data.layer.digest()), 404, 405);
    assertSuccessOr(delete("/blobs/" + data.emptyJson.digest()), 404, 405);
  }
}
