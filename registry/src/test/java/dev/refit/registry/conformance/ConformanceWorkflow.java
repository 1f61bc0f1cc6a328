package dev.refit.registry.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.registry.conformance.ConformanceData.Blob;
import dev.refit.registry.conformance.OciWire.Reply;
import dev.refit.registry.testkit.InProcessRegistry;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the OCI distribution-spec conformance workflows (pull, push, content discovery,
 * content management): one embedded registry on a free port per workflow class, and the cases
 * run in declared order because, as in the suite, later cases read what earlier ones pushed.
 * Not thread-safe; JUnit runs one workflow's cases on one thread.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ConformanceWorkflow {
  /** The error codes distribution-spec defines ("Error Codes" table). */
  static final Set<String> ERROR_CODES = Set.of("BLOB_UNKNOWN", "BLOB_UPLOAD_INVALID",
      "BLOB_UPLOAD_UNKNOWN", "DIGEST_INVALID", "MANIFEST_BLOB_UNKNOWN", "MANIFEST_INVALID",
      "MANIFEST_UNKNOWN", "MANIFEST_UNVERIFIED", "NAME_INVALID", "NAME_UNKNOWN", "SIZE_INVALID",
      "TAG_INVALID", "UNAUTHORIZED", "DENIED", "UNSUPPORTED");

  final ConformanceData data = ConformanceData.generate();
  /** The suite's OCI_NAMESPACE; one per workflow so their tags never mix. */
  final String name = "conformance/" + getClass().getSimpleName().toLowerCase();
  InProcessRegistry registry;
  OciWire wire;

  @BeforeAll
  void startRegistry(@TempDir Path root) {
    registry = InProcessRegistry.start(root);
    wire = new OciWire(registry.baseUrl());
  }

  @AfterAll
  void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  String repo(String suffix) {
    return repo(name, suffix);
  }

  static String repo(String repository, String suffix) {
    return "/v2/" + repository + suffix;
  }

  OciWire.Call call(String method, String target) {
    return wire.call(method, target);
  }

  /** POST a session, then PUT the whole blob to it (the suite's usual way to seed blobs). */
  Reply pushBlob(Blob blob) {
    Reply session = call("POST", repo("/blobs/uploads/")).send();
    assertStatusIn(session, 202);
    return call("PUT", session.relativeLocation())
        .query("digest", blob.digest())
        .header("Content-Type", "application/octet-stream")
        .body(blob.content())
        .send();
  }

  Reply putManifest(String reference, String mediaType, Blob manifest) {
    return call("PUT", repo("/manifests/" + reference))
        .header("Content-Type", mediaType)
        .body(manifest.content())
        .send();
  }

  Reply delete(String suffix) {
    return call("DELETE", repo(suffix)).send();
  }

  static void assertStatusIn(Reply reply, int... accepted) {
    assertThat(Arrays.stream(accepted).boxed().toList())
        .as("status of %s", reply)
        .contains(reply.status());
  }

  static void assertSuccess(Reply reply) {
    assertThat(reply.status()).as("status of %s", reply).isBetween(200, 299);
  }

  /** 2xx, or one of {@code others} (e.g. 404/405 where the suite tolerates them). */
  static void assertSuccessOr(Reply reply, int... others) {
    boolean ok = (reply.status() >= 200 && reply.status() < 300)
        || Arrays.stream(others).anyMatch(s -> s == reply.status());
    assertThat(ok).as("status of %s should be 2xx or one of %s", reply, Arrays.toString(others))
        .isTrue();
  }

  static void assertLocation(Reply reply) {
    assertThat(reply.header("Location")).as("Location of %s", reply).isNotEmpty();
  }

  /** The {@code tags} of a tags-list body; an empty list when the body has none. */
  static List<String> tags(Reply reply) {
    var node = reply.json().path("tags");
    return node.isArray()
        ? java.util.stream.StreamSupport.stream(node.spliterator(), false).map(n -> n.asText()).toList()
        : List.of();
  }
}
