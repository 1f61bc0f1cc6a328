package dev.refit.registry.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refit.registry.conformance.ConformanceData.Blob;
import dev.refit.registry.conformance.OciWire.Reply;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite's Content Discovery workflow, referrers part (distribution-spec
 * "Listing Referrers", end-12a/end-12b, and "Pushing Manifests with Subject"): artifacts and an
 * index whose subject is manifest 4, pushed before and after it, one whose subject was never
 * pushed, then the referrers list unfiltered and filtered by {@code artifactType}.
 * Not thread-safe; ordered cases.
 */
@DisplayName("Content Discovery: referrers")
class ReferrersConformanceTest extends ConformanceWorkflow {

  // ---- Setup

  @Test
  @Order(1)
  @DisplayName("Content Discovery: References setup")
  void referencesSetup_pushesArtifactsWithSubject() {
    String subject = data.manifests.get(4).digest();
    assertThat(data.emptyJson.digest()).isEqualTo(ConformanceData.EMPTY_JSON_DIGEST);
    assertSuccess(pushBlob(data.emptyJson));
    // Reference blob and artifacts before their subject exists.
    assertSuccess(pushBlob(data.refBlobA));
    assertSubjectHeader(putReferrer(data.refsAConfig, ConformanceData.OCI_MANIFEST), subject);
    assertSubjectHeader(putReferrer(data.refsALayer, ConformanceData.OCI_MANIFEST), subject);
    assertSubjectHeader(putReferrer(data.refsIndex, ConformanceData.OCI_INDEX), subject);
    // The subject itself.
    assertSuccess(pushBlob(data.configs.get(4)));
    assertSuccess(pushBlob(data.layer));
    assertSuccess(putManifest(ConformanceData.TAG, ConformanceData.OCI_MANIFEST, data.manifests.get(4)));
    // Reference blob and artifacts after their subject exists.
    assertSuccess(pushBlob(data.refBlobB));
    assertSubjectHeader(putReferrer(data.refsBConfig, ConformanceData.OCI_MANIFEST), subject);
    assertSubjectHeader(putReferrer(data.refsBLayer, ConformanceData.OCI_MANIFEST), subject);
    // An artifact whose subject (manifest 3) is never pushed.
    assertSubjectHeader(putReferrer(data.refsCLayer, ConformanceData.OCI_MANIFEST),
        data.manifests.get(3).digest());
  }

  // ---- Test content discovery endpoints (listing references)

  @Test
  @Order(10)
  @DisplayName("Content Discovery: GET request to nonexistent blob should result in empty 200 response")
  void referrersOfNonexistentBlob_returnsEmptyIndex() {
    Reply reply = referrers(data.dummyDigest).send();
    assertIndexReply(reply);
    assertThat(reply.json().path("manifests")).as("manifests of %s", reply).isEmpty();
  }

  @Test
  @Order(11)
  @DisplayName("Content Discovery: GET request to existing blob should yield 200")
  void referrersOfExistingManifest_listsAllFive() {
    Reply reply = referrers(data.manifests.get(4).digest()).send();
    assertIndexReply(reply);
    JsonNode manifests = reply.json().path("manifests");
    assertThat(manifests).as("manifests of %s", reply).hasSize(5);
    assertThat(manifests.get(0).path("digest").asText())
        .isNotEqualTo(manifests.get(1).path("digest").asText());
    manifests.forEach(this::assertAnnotationCopied);
  }

  @Test
  @Order(12)
  @DisplayName("Content Discovery: GET request to existing blob with filter should yield 200")
  void referrersWithArtifactTypeFilter_listsMatchingOnly() {
    Reply reply = referrers(data.manifests.get(4).digest())
        .query("artifactType", ConformanceData.ARTIFACT_TYPE_A)
        .send();
    assertIndexReply(reply);
    JsonNode manifests = reply.json().path("manifests");
    if (!reply.header("OCI-Filters-Applied").isEmpty()) {
      assertThat(manifests).as("manifests of %s", reply).hasSize(2);
      assertThat(reply.header("OCI-Filters-Applied")).isEqualTo("artifactType");
      manifests.forEach(m -> assertThat(m.path("artifactType").asText())
          .as("artifactType of %s", m).isEqualTo(ConformanceData.ARTIFACT_TYPE_A));
    } else {
      // end-12b lets a registry ignore the filter, but then it must say nothing and list all.
      assertThat(manifests).as("manifests of %s", reply).hasSize(5);
    }
    manifests.forEach(this::assertAnnotationCopied);
  }

  @Test
  @Order(13)
  @DisplayName("Content Discovery: GET request to missing manifest should yield 200")
  void referrersOfMissingSubject_listsDanglingReferrer() {
    Reply reply = referrers(data.manifests.get(3).digest()).send();
    assertIndexReply(reply);
    JsonNode manifests = reply.json().path("manifests");
    assertThat(manifests).as("manifests of %s", reply).hasSize(1);
    assertThat(manifests.get(0).path("digest").asText()).isEqualTo(data.refsCLayer.digest());
  }

  // ---- Teardown (manifests before blobs, the suite's default)

  @Test
  @Order(20)
  @DisplayName("Content Discovery: Delete created manifest & associated tags")
  void deleteCreatedManifests_succeed() {
    for (String ref : new String[] {data.refsIndex.digest(), data.manifests.get(4).digest(),
        data.refsAConfig.digest(), data.refsALayer.digest(), ConformanceData.TAG,
        data.refsBConfig.digest(), data.refsBLayer.digest(), data.refsCLayer.digest()}) {
      assertSuccessOr(delete("/manifests/" + ref), 404, 405);
    }
  }

  @Test
  @Order(21)
  @DisplayName("Content Discovery: Delete layer blob created in setup")
  void deleteLayerBlob_succeeds() {
    assertSuccessOr(delete("/blobs/" + data.layer.digest()), 405);
  }

  @Test
  @Order(22)
  @DisplayName("Content Discovery: References teardown")
  void referencesTeardown_deletesBlobs() {
    for (Blob blob : new Blob[] {data.configs.get(4), data.refBlobA, data.refBlobB, data.emptyJson}) {
      assertSuccessOr(delete("/blobs/" + blob.digest()), 404, 405);
    }
  }

  private OciWire.Call referrers(String digest) {
    return call("GET", repo("/referrers/" + digest));
  }

  private Reply putReferrer(Blob manifest, String mediaType) {
    Reply reply = putManifest(manifest.digest(), mediaType, manifest);
    assertSuccess(reply);
    return reply;
  }

  private static void assertSubjectHeader(Reply reply, String subject) {
    assertThat(reply.header("OCI-Subject")).as("OCI-Subject of %s", reply).isEqualTo(subject);
  }

  private static void assertIndexReply(Reply reply) {
    assertStatusIn(reply, 200);
    assertThat(reply.header("Content-Type")).as("Content-Type of %s", reply)
        .isEqualTo(ConformanceData.OCI_INDEX);
  }

  /** end-12a: each descriptor carries its manifest's annotations. */
  private void assertAnnotationCopied(JsonNode descriptor) {
    JsonNode annotations = descriptor.path("annotations");
    assertThat(annotations.size()).as("annotations of %s", descriptor).isEqualTo(1);
    assertThat(annotations.path(ConformanceData.ANNOTATION_KEY).asText())
        .as("annotation of %s", descriptor)
        .isEqualTo(data.annotationValues.get(descriptor.path("digest").asText()));
  }
}
