package dev.refit.registry.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.registry.conformance.OciWire.Reply;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite's Pull workflow (distribution-spec "Pull" category, end-2 and end-3):
 * seed a config, a layer and a tagged manifest, then read blobs and manifests by digest and tag,
 * including misses and the error body of a rejected manifest. Not thread-safe; ordered cases.
 */
@DisplayName("Pull")
class PullConformanceTest extends ConformanceWorkflow {
  private String tag;

  // ---- Base API Route (the suite's earlier 01_base_api_route workflow)

  @Test
  @Order(0)
  @DisplayName("Base API Route: GET request to base API route must return 200 response")
  void getBaseRoute_returns200() {
    assertStatusIn(call("GET", "/v2/").send(), 200);
  }

  // ---- Setup

  @Test
  @Order(1)
  @DisplayName("Pull: Populate registry with test blob")
  void populateTestBlob_succeeds() {
    assertSuccess(pushBlob(data.configs.get(0)));
  }

  @Test
  @Order(2)
  @DisplayName("Pull: Populate registry with test layer")
  void populateTestLayer_succeeds() {
    assertSuccess(pushBlob(data.layer));
  }

  @Test
  @Order(3)
  @DisplayName("Pull: Populate registry with test manifest")
  void populateTestManifest_succeeds() {
    assertSuccess(putManifest(ConformanceData.TAG, ConformanceData.OCI_MANIFEST, data.manifests.get(0)));
  }

  @Test
  @Order(4)
  @DisplayName("Pull: Get the name of a tag")
  void getTagName_listsPushedTag() {
    Reply reply = call("GET", repo("/tags/list")).send();
    assertStatusIn(reply, 200);
    assertThat(tags(reply)).as("tags of %s", reply).isNotEmpty();
    tag = tags(reply).get(0);
  }

  // ---- Pull blobs

  @Test
  @Order(10)
  @DisplayName("Pull: HEAD request to nonexistent blob should result in 404 response")
  void headNonexistentBlob_returns404() {
    assertStatusIn(call("HEAD", repo("/blobs/" + data.dummyDigest)).send(), 404);
  }

  @Test
  @Order(11)
  @DisplayName("Pull: HEAD request to existing blob should yield 200")
  void headExistingBlob_returns200() {
    String digest = data.configs.get(0).digest();
    Reply reply = call("HEAD", repo("/blobs/" + digest)).send();
    assertStatusIn(reply, 200);
    assertDigestHeaderIfPresent(reply, digest);
  }

  @Test
  @Order(12)
  @DisplayName("Pull: GET nonexistent blob should result in 404 response")
  void getNonexistentBlob_returns404() {
    assertStatusIn(call("GET", repo("/blobs/" + data.dummyDigest)).send(), 404);
  }

  @Test
  @Order(13)
  @DisplayName("Pull: GET request to existing blob URL should yield 200")
  void getExistingBlob_returns200() {
    Reply reply = call("GET", repo("/blobs/" + data.configs.get(0).digest())).send();
    assertStatusIn(reply, 200);
    assertThat(reply.body()).as("body of %s", reply).isEqualTo(data.configs.get(0).content());
  }

  // ---- Pull manifests

  @Test
  @Order(20)
  @DisplayName("Pull: HEAD request to nonexistent manifest should return 404")
  void headNonexistentManifest_returns404() {
    assertStatusIn(call("HEAD", repo("/manifests/" + ConformanceData.NONEXISTENT_MANIFEST)).send(), 404);
  }

  @Test
  @Order(21)
  @DisplayName("Pull: HEAD request to manifest path (digest) should yield 200 response")
  void headManifestByDigest_returns200() {
    String digest = data.manifests.get(0).digest();
    Reply reply = call("HEAD", repo("/manifests/" + digest))
        .header("Accept", ConformanceData.OCI_MANIFEST).send();
    assertStatusIn(reply, 200);
    assertDigestHeaderIfPresent(reply, digest);
  }

  /** The suite sends GET here despite the title; HEAD is what the title and spec end-3 name. */
  @Test
  @Order(22)
  @DisplayName("Pull: HEAD request to manifest path (tag) should yield 200 response")
  void headManifestByTag_returns200() {
    assertThat(tag).as("tag found in setup").isNotEmpty();
    Reply reply = call("HEAD", repo("/manifests/" + tag))
        .header("Accept", ConformanceData.OCI_MANIFEST).send();
    assertStatusIn(reply, 200);
    assertDigestHeaderIfPresent(reply, data.manifests.get(0).digest());
  }

  @Test
  @Order(23)
  @DisplayName("Pull: GET nonexistent manifest should return 404")
  void getNonexistentManifest_returns404() {
    assertStatusIn(call("GET", repo("/manifests/" + ConformanceData.NONEXISTENT_MANIFEST)).send(), 404);
  }

  @Test
  @Order(24)
  @DisplayName("Pull: GET request to manifest path (digest) should yield 200 response")
  void getManifestByDigest_returns200() {
    Reply reply = call("GET", repo("/manifests/" + data.manifests.get(0).digest()))
        .header("Accept", ConformanceData.OCI_MANIFEST).send();
    assertStatusIn(reply, 200);
    assertThat(reply.body()).as("body of %s", reply).isEqualTo(data.manifests.get(0).content());
  }

  @Test
  @Order(25)
  @DisplayName("Pull: GET request to manifest path (tag) should yield 200 response")
  void getManifestByTag_returns200() {
    assertThat(tag).as("tag found in setup").isNotEmpty();
    Reply reply = call("GET", repo("/manifests/" + tag))
        .header("Accept", ConformanceData.OCI_MANIFEST).send();
    assertStatusIn(reply, 200);
  }

  // ---- Error codes

  @Test
  @Order(30)
  @DisplayName("Pull: 400 response body should contain OCI-conforming JSON message")
  void invalidManifestPut_returnsOciErrorBody() {
    Reply reply = call("PUT", repo("/manifests/sha256:totallywrong"))
        .header("Content-Type", ConformanceData.OCI_MANIFEST)
        .body(ConformanceData.INVALID_MANIFEST)
        .send();
    assertStatusIn(reply, 400, 404);
    if (reply.status() == 400) {
      var errors = reply.json().path("errors");
      assertThat(errors.isArray() && !errors.isEmpty()).as("errors of %s", reply).isTrue();
      assertThat(ERROR_CODES).as("first error code of %s", reply).contains(errors.get(0).path("code").asText());
    }
  }

  // ---- Teardown (manifest before blobs, the suite's default)

  @Test
  @Order(40)
  @DisplayName("Pull: Delete manifest created in setup")
  void deleteSetupManifest_succeeds() {
    assertSuccessOr(delete("/manifests/" + data.manifests.get(0).digest()), 405);
  }

  @Test
  @Order(41)
  @DisplayName("Pull: Delete config blob created in setup")
  void deleteSetupConfigBlob_succeeds() {
    assertSuccessOr(delete("/blobs/" + data.configs.get(0).digest()), 405);
  }

  @Test
  @Order(42)
  @DisplayName("Pull: Delete layer blob created in setup")
  void deleteSetupLayerBlob_succeeds() {
    assertSuccessOr(delete("/blobs/" + data.layer.digest()), 405);
  }

  private static void assertDigestHeaderIfPresent(Reply reply, String digest) {
    String header = reply.header("Docker-Content-Digest");
    if (!header.isEmpty()) {
      assertThat(header).as("Docker-Content-Digest of %s", reply).isEqualTo(digest);
    }
  }
}
