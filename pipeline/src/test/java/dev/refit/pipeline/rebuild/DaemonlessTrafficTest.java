package dev.refit.pipeline.rebuild;

import static dev.refit.pipeline.rebuild.DaemonlessRebuilderTest.BASE_REPO;
import static dev.refit.pipeline.rebuild.DaemonlessRebuilderTest.TARGET_REPO;
import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.registry.client.ClientOptions;
import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.ImageRef;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.testkit.InProcessRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one daemonless rebuild sends to the embedded registry (issue 9, section 4, "One push per
 * build"): each new blob uploaded once, one manifest PUT, nothing of the base or the result read
 * back but the base manifest and config.
 */
class DaemonlessTrafficTest {
  @TempDir Path tmp;
  private InProcessRegistry registry;
  private TestBase base;
  private CountingHttpProxy proxy;
  private RegistryClient viaProxy;

  @BeforeEach
  void setUp() throws IOException {
    registry = InProcessRegistry.start(tmp.resolve("registry"));
    base = new TestBase(registry, Files.createDirectories(tmp.resolve("kit")));
    proxy = CountingHttpProxy.start(registry.vertx(), registry.port());
    String hostPort = "127.0.0.1:" + proxy.port();
    viaProxy = RegistryClient.create(registry.vertx(), hostPort,
        ClientOptions.defaults().withPlainHttpHosts(Set.of(hostPort)).withDockerConfigDir(null));
  }

  @AfterEach
  void tearDown() {
    if (proxy != null) {
      proxy.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void rebuild_oneImage_uploadsEachNewBlobOnceAndPutsOneManifest() throws Exception {
    Digest baseDigest = base.pushNovaBase(BASE_REPO, "1");
    Manifest baseManifest = Manifest.parse(base.manifest(BASE_REPO, baseDigest.toString()).bytes());

    RebuildResult result = DaemonlessRebuilder.of(viaProxy, tmp.resolve("work"), "test-1")
        .rebuild(request(baseDigest));

    List<String> sent = proxy.requests();
    Manifest built = Manifest.parse(base.manifest(TARGET_REPO, result.manifestDigest().toString()).bytes());
    Descriptor layer = built.layers().get(2);
    // One upload per new blob (the delta layer, the config), each a POST and a monolithic PUT.
    assertThat(sent).filteredOn(r -> r.startsWith("PUT /v2/" + TARGET_REPO + "/blobs/uploads/"))
        .hasSize(2)
        .anySatisfy(r -> assertThat(r).contains(layer.digest().hex()))
        .anySatisfy(r -> assertThat(r).contains(built.config().digest().hex()));
    assertThat(sent).filteredOn(r -> r.startsWith("POST /v2/" + TARGET_REPO + "/blobs/uploads/") && !r.contains("mount="))
        .hasSize(2);
    assertThat(sent).noneMatch(r -> r.startsWith("PATCH "));
    // One manifest PUT, under the tag; the built image is never read back.
    assertThat(sent).filteredOn(r -> r.startsWith("PUT ") && r.contains("/manifests/"))
        .containsExactly("PUT /v2/" + TARGET_REPO + "/manifests/apex");
    assertThat(sent).noneMatch(r -> r.startsWith("GET /v2/" + TARGET_REPO + "/"));
    // Of the base, only the manifest and the config are read; its layers are mounted.
    assertThat(sent).filteredOn(r -> r.startsWith("GET ") && r.contains("/blobs/"))
        .containsExactly("GET /v2/" + BASE_REPO + "/blobs/" + baseManifest.config().digest());
    assertThat(sent).filteredOn(r -> r.contains("mount=")).hasSize(baseManifest.layers().size());
  }

  @Test
  void rebuild_afterARunStoppedBeforeTagging_uploadsNothingAndPutsOneManifest() throws Exception {
    Digest baseDigest = base.pushNovaBase(BASE_REPO, "1");
    RebuildResult first = DaemonlessRebuilder.of(viaProxy, tmp.resolve("work"), "test-1")
        .rebuild(request(baseDigest));
    assertThat(registry.store().delete(TARGET_REPO, "apex")).isTrue();
    proxy.clear();

    RebuildResult again = DaemonlessRebuilder.of(viaProxy, tmp.resolve("work-2"), "test-1")
        .rebuild(request(baseDigest));

    assertThat(again.manifestDigest()).isEqualTo(first.manifestDigest());
    List<String> sent = proxy.requests();
    assertThat(sent).noneMatch(r -> r.startsWith("POST ") || r.startsWith("PATCH "));
    assertThat(sent).filteredOn(r -> r.startsWith("PUT "))
        .containsExactly("PUT /v2/" + TARGET_REPO + "/manifests/apex");
  }

  private RebuildRequest request(Digest baseDigest) throws IOException {
    return new RebuildRequest("nova-api", ImageRef.of(registry.hostPort(), BASE_REPO, "1", baseDigest),
        TARGET_REPO, "apex", DaemonlessRebuilderTest.patches(),
        DaemonlessRebuilderTest.patchResult(tmp.resolve("files")), Map.of());
  }
}
