package dev.refit.registry.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.registry.conformance.OciWire.Reply;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite's Content Discovery workflow, tag listing part (distribution-spec
 * "Listing Tags", end-8a/end-8b): list tags, limit with {@code n}, continue after {@code last}.
 * The referrers part is {@link ReferrersConformanceTest}. Not thread-safe; ordered cases.
 */
@DisplayName("Content Discovery: tags")
class DiscoveryConformanceTest extends ConformanceWorkflow {
  private int numTags = 4;

  // ---- Setup

  @Test
  @Order(1)
  @DisplayName("Content Discovery: Populate registry with test blob")
  void populateTestBlob_succeeds() {
    assertSuccess(pushBlob(data.configs.get(2)));
  }

  @Test
  @Order(2)
  @DisplayName("Content Discovery: Populate registry with test layer")
  void populateTestLayer_succeeds() {
    assertSuccess(pushBlob(data.layer));
  }

  @Test
  @Order(3)
  @DisplayName("Content Discovery: Populate registry with test tags")
  void populateTestTags_succeeds() {
    for (int i = 0; i < numTags; i++) {
      assertSuccess(putManifest("test" + i, ConformanceData.OCI_MANIFEST, data.manifests.get(2)));
    }
  }

  // ---- Test content discovery endpoints (listing tags)

  @Test
  @Order(10)
  @DisplayName("Content Discovery: GET request to list tags should yield 200 response")
  void listTags_returns200InOrder() {
    Reply reply = call("GET", repo("/tags/list")).send();
    assertStatusIn(reply, 200);
    List<String> tags = tags(reply);
    assertThat(tags).as("tags of %s", reply).containsExactlyInAnyOrder("test0", "test1", "test2", "test3");
    // end-8a: tags come in lexical order; plain byte order is tolerated as the suite does.
    List<String> lexical = new ArrayList<>(tags);
    lexical.sort(Comparator.comparing(String::toLowerCase));
    List<String> ascii = new ArrayList<>(tags);
    ascii.sort(Comparator.naturalOrder());
    assertThat(tags.equals(lexical) || tags.equals(ascii)).as("order of %s", tags).isTrue();
    numTags = tags.size();
  }

  /** From the suite's earlier 06_tags_list workflow: a listed tag resolves to its manifest. */
  @Test
  @Order(11)
  @DisplayName("Tags List: GET request to manifest URL (tag) should yield 200 response")
  void getManifestByListedTag_returns200() {
    Reply list = call("GET", repo("/tags/list")).send();
    assertStatusIn(list, 200);
    assertThat(tags(list)).as("tags of %s", list).isNotEmpty();
    Reply reply = call("GET", repo("/manifests/" + tags(list).get(0)))
        .header("Accept", ConformanceData.OCI_MANIFEST).send();
    assertStatusIn(reply, 200);
    assertThat(reply.body()).as("body of %s", reply).isEqualTo(data.manifests.get(2).content());
  }

  @Test
  @Order(12)
  @DisplayName("Content Discovery: GET number of tags should be limitable by `n` query parameter")
  void listTagsWithN_limitsResults() {
    int numResults = numTags / 2;
    Reply reply = call("GET", repo("/tags/list")).query("n", String.valueOf(numResults)).send();
    assertStatusIn(reply, 200);
    assertThat(tags(reply)).as("tags of %s", reply).hasSize(numResults);
  }

  @Test
  @Order(13)
  @DisplayName("Content Discovery: GET start of tag is set by `last` query parameter")
  void listTagsWithLast_startsAfterLast() {
    int numResults = numTags / 2;
    Reply first = call("GET", repo("/tags/list")).query("n", String.valueOf(numResults)).send();
    assertStatusIn(first, 200);
    List<String> firstPage = tags(first);
    assertThat(firstPage).as("tags of %s", first).hasSize(numResults);
    String last = firstPage.get(numResults - 1);
    Reply next = call("GET", repo("/tags/list"))
        .query("n", String.valueOf(numResults))
        .query("last", last)
        .send();
    assertStatusIn(next, 200);
    List<String> nextPage = tags(next);
    assertThat(nextPage).as("tags of %s", next).hasSizeLessThanOrEqualTo(numResults).doesNotContain(last);
    // end-8b: the page continues strictly after `last`.
    assertThat(nextPage).as("tags of %s", next).allMatch(t -> t.compareTo(last) > 0);
  }

  // ---- Teardown (manifests before blobs, the suite's default)

  @Test
  @Order(20)
  @DisplayName("Content Discovery: Delete created manifest & associated tags")
  void deleteCreatedManifest_succeeds() {
    assertSuccessOr(delete("/manifests/" + data.manifests.get(2).digest()), 404, 405);
  }

  @Test
  @Order(21)
  @DisplayName("Content Discovery: Delete config blob created in tests")
  void deleteConfigBlob_succeeds() {
    assertSuccessOr(delete("/blobs/" + data.configs.get(2).digest()), 405);
  }

  @Test
  @Order(22)
  @DisplayName("Content Discovery: Delete layer blob created in setup")
  void deleteLayerBlob_succeeds() {
    assertSuccessOr(delete("/blobs/" + data.layer.digest()), 405);
  }
}
