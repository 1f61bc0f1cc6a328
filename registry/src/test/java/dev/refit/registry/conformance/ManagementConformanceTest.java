package dev.refit.registry.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.registry.conformance.OciWire.Reply;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite's Content Management workflow (distribution-spec "Deleting Tags",
 * "Deleting Manifests", "Deleting Blobs", end-9 and end-10): delete a tag, then the manifest by
 * digest, check both are gone from reads and the tag list, then delete blobs and check they are
 * gone. Not thread-safe; ordered cases.
 */
@DisplayName("Content Management")
class ManagementConformanceTest extends ConformanceWorkflow {
  private String tagToDelete;
  private int numTags;

  // ---- Setup

  @Test
  @Order(1)
  @DisplayName("Content Management: Populate registry with test config blob")
  void populateConfigBlob_succeeds() {
    assertSuccess(pushBlob(data.configs.get(3)));
  }

  @Test
  @Order(2)
  @DisplayName("Content Management: Populate registry with test layer")
  void populateLayer_succeeds() {
    assertSuccess(pushBlob(data.layer));
  }

  @Test
  @Order(3)
  @DisplayName("Content Management: Populate registry with test tag")
  void populateTag_succeeds() {
    tagToDelete = ConformanceData.TAG;
    assertSuccess(putManifest(tagToDelete, ConformanceData.OCI_MANIFEST, data.manifests.get(3)));
  }

  @Test
  @Order(4)
  @DisplayName("Content Management: Check how many tags there are before anything gets deleted")
  void countTagsBeforeDelete_returns200() {
    Reply reply = call("GET", repo("/tags/list")).send();
    assertStatusIn(reply, 200);
    numTags = tags(reply).size();
    assertThat(numTags).as("tags of %s", reply).isPositive();
  }

  // ---- Manifest delete

  @Test
  @Order(10)
  @DisplayName("Content Management: DELETE request to manifest tag should return 202, unless tag deletion is disallowed (400/405)")
  void deleteTag_returns202() {
    Reply reply = delete("/manifests/" + tagToDelete);
    assertStatusIn(reply, 400, 202, 405);
    if (reply.status() == 400) {
      var errors = reply.json().path("errors");
      assertThat(errors.isArray() && !errors.isEmpty()).as("errors of %s", reply).isTrue();
      assertThat(errors.get(0).path("code").asText()).isEqualTo("UNSUPPORTED");
    }
  }

  @Test
  @Order(11)
  @DisplayName("Content Management: DELETE request to manifest (digest) should yield 202 response unless already deleted")
  void deleteManifestByDigest_returns202() {
    assertStatusIn(delete("/manifests/" + data.manifests.get(3).digest()), 202, 404);
  }

  @Test
  @Order(12)
  @DisplayName("Content Management: GET request to deleted manifest URL should yield 404 response, unless delete is disallowed")
  void getDeletedManifest_returns404() {
    assertStatusIn(call("GET", repo("/manifests/" + data.manifests.get(3).digest())).send(), 404, 200);
  }

  @Test
  @Order(13)
  @DisplayName("Content Management: GET request to tags list should reflect manifest deletion")
  void tagsListAfterDelete_hasFewerTags() {
    Reply reply = call("GET", repo("/tags/list")).send();
    assertStatusIn(reply, 200);
    assertThat(tags(reply)).as("tags of %s", reply).hasSizeLessThan(numTags);
  }

  // ---- Blob delete

  @Test
  @Order(20)
  @DisplayName("Content Management: DELETE request to blob URL should yield 202 response")
  void deleteBlobs_return202() {
    assertStatusIn(delete("/blobs/" + data.configs.get(3).digest()), 202, 404, 405);
    Reply layer = delete("/blobs/" + data.layer.digest());
    assertStatusIn(layer, 202, 404, 405);
  }

  @Test
  @Order(21)
  @DisplayName("Content Management: GET request to deleted blob URL should yield 404 response")
  void getDeletedBlob_returns404() {
    // Self-contained: the embedded registry deletes blobs (202), so a refusal is a failure here.
    assertSuccess(pushBlob(data.configs.get(3)));
    assertStatusIn(delete("/blobs/" + data.configs.get(3).digest()), 202);
    assertStatusIn(call("GET", repo("/blobs/" + data.configs.get(3).digest())).send(), 404);
  }
}
