package dev.refit.pipeline.rebuild.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import dev.refit.patches.dockerfile.AppliedPatch;
import dev.refit.patches.engine.ChangedFile;
import dev.refit.patches.engine.PatchResult;
import dev.refit.pipeline.rebuild.BuildKey;
import dev.refit.pipeline.rebuild.Provenance;
import dev.refit.pipeline.rebuild.RebuildException;
import dev.refit.pipeline.rebuild.RebuildRequest;
import dev.refit.pipeline.rebuild.RebuildResult;
import dev.refit.registry.client.ClientOptions;
import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.it.Await;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.ImageRef;
import dev.refit.registry.oci.Index;
import dev.refit.registry.oci.Platform;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.testkit.InProcessRegistry;
import java.nio.charset.StandardCharsets;
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
 * What the docker builder decides before it talks to the engine, against a real embedded
 * registry and a docker client pointed at a socket nobody listens on: a build-key match is
 * skipped without the engine, anything else goes to the engine (and fails here, loudly).
 */
class DockerRebuilderTest {

  @TempDir Path tmp;
  private InProcessRegistry registry;
  private RegistryClient client;
  private DockerClient noEngine;

  @BeforeEach
  void setUp() throws Exception {
    registry = InProcessRegistry.start(Files.createDirectories(tmp.resolve("registry")));
    client = RegistryClient.create(registry.vertx(), registry.hostPort(),
        ClientOptions.defaults().withPlainHttpHosts(Set.of(registry.hostPort())).withDockerConfigDir(null));
    noEngine = DockerEngine.connect("unix://" + tmp.resolve("no-engine.sock"), null);
  }

  @AfterEach
  void tearDown() throws Exception {
    noEngine.close();
    registry.close();
  }

  @Test
  void rebuild_tagCarriesSameBuildKey_isSkippedWithoutTheEngine() throws Exception {
    RebuildRequest request = request(pushImage("refit/base", null, Map.of()));
    Digest apex = pushImage("refit/app-api", "apex", Map.of(Provenance.BUILD_KEY, BuildKey.of(request, "docker")));

    RebuildResult result = rebuilder().rebuild(request);

    assertThat(result.skipped()).isTrue();
    assertThat(result.manifestDigest()).isEqualTo(apex);
    assertThat(result.reference()).isEqualTo("refit/app-api:apex@" + apex);
    assertThat(result.buildKey()).isEqualTo(BuildKey.of(request, "docker"));
  }

  @Test
  void rebuild_tagCarriesTheDaemonlessKey_isNotSkipped() throws Exception {
    RebuildRequest request = request(pushImage("refit/base", null, Map.of()));
    pushImage("refit/app-api", "apex", Map.of(Provenance.BUILD_KEY, BuildKey.of(request, "daemonless")));

    assertThatThrownBy(() -> rebuilder().rebuild(request))
        .as("goes on to the engine, which is not there")
        .isInstanceOf(RebuildException.class)
        .hasMessageContaining("docker build of app-api");
  }

  @Test
  void rebuild_baseInAnotherRegistry_failsBeforeAnyWork() throws Exception {
    Digest base = pushImage("refit/base", null, Map.of());
    RebuildRequest request = new RebuildRequest("app-api", ImageRef.parse("quay.io/refit/base@" + base),
        "refit/app-api", "apex", List.of(patch()), result(), Map.of());

    assertThatThrownBy(() -> rebuilder().rebuild(request))
        .isInstanceOf(RebuildException.class)
        .hasMessageContaining("not in the local registry " + registry.hostPort());
  }

  @Test
  void rebuild_baseIsAnIndex_failsAskingForThePlatformDigest() throws Exception {
    Digest child = pushImage("refit/base", null, Map.of());
    RawManifest childRaw = Await.result(client.getManifest("refit/base", child.toString()), "GET child");
    RawManifest index = Index.of(List.of(new Descriptor(childRaw.mediaType(), child, childRaw.size(),
        Platform.of("linux", "amd64"), null, Map.of()))).toRaw();
    Await.result(client.putManifest("refit/base", index.digest().toString(), index), "put index");

    assertThatThrownBy(() -> rebuilder().rebuild(request(index.digest())))
        .isInstanceOf(RebuildException.class)
        .hasMessageContaining("is an index")
        .hasMessageContaining("app-api");
  }

  private DockerRebuilder rebuilder() throws Exception {
    return DockerRebuilder.of(noEngine, client, "test", Files.createDirectories(tmp.resolve("work")),
        ProgressListener.NONE);
  }

  private RebuildRequest request(Digest base) throws Exception {
    return new RebuildRequest("app-api", ImageRef.parse(registry.hostPort() + "/refit/base@" + base),
        "refit/app-api", "apex", List.of(patch()), result(), Map.of());
  }

  private static AppliedPatch patch() {
    return AppliedPatch.of("I1", "file a.patch", Digest.sha256(new byte[] {1}));
  }

  private PatchResult result() throws Exception {
    byte[] bytes = "x = 1\n".getBytes(StandardCharsets.UTF_8);
    Path content = Files.write(tmp.resolve("content.bin"), bytes);
    return new PatchResult(List.of(new ChangedFile("srv/app/x.py", content, 0644, 0, 0, bytes.length,
        Digest.sha256(bytes))), List.of());
  }

  /** A layer-less image whose config has {@code labels}; returns its manifest digest. */
  private Digest pushImage(String repo, String tag, Map<String, String> labels) throws Exception {
    StringBuilder l = new StringBuilder();
    labels.forEach((k, v) -> l.append(l.length() == 0 ? "" : ",").append('"').append(k).append("\":\"").append(v).append('"'));
    byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"User\":\"1000\",\"Labels\":{" + l
        + "}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}").getBytes(StandardCharsets.UTF_8);
    Path file = Files.write(Files.createTempFile(tmp, "config-", ".json"), config);
    Descriptor desc = Descriptor.of(MediaType.OCI_CONFIG, Digest.sha256(config), config.length);
    Await.result(client.pushBlob(repo, desc, file, null), "push config");
    RawManifest raw = Manifest.of(desc, List.of()).toRaw();
    return Await.result(client.putManifest(repo, tag == null ? raw.digest().toString() : tag, raw), "put manifest");
  }
}
