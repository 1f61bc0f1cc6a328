package dev.refit.pipeline.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refit.pipeline.mirror.Destination;
import dev.refit.pipeline.mirror.DestinationNaming;
import dev.refit.pipeline.mirror.Destinations;
import dev.refit.pipeline.mirror.Mirror;
import dev.refit.pipeline.mirror.MirrorReport;
import dev.refit.pipeline.mirror.MirrorRequest;
import dev.refit.pipeline.mirror.UpstreamFixture;
import dev.refit.pipeline.mirror.UpstreamImages;
import dev.refit.registry.client.Await;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.Platform;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.store.fs.FsStore;
import dev.refit.registry.store.fs.StoreOptions;
import dev.refit.registry.store.fs.StoreVerifier;
import dev.refit.registry.store.fs.VerifyReport;
import dev.refit.registry.testkit.InProcessRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bundle read by its real peers: {@code docker load -i} on the engine (scripts/engine start,
 * DOCKER_HOST) and {@code skopeo copy oci-archive:FILE:REPO:TAG}. The images are built here, with
 * real gzip tar layers and their diff_ids, in both OCI and Docker schema 2 media types.
 */
class BundleIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  @RegisterExtension final UpstreamFixture up = new UpstreamFixture();
  private final String unique = Long.toHexString(System.nanoTime());

  @Test
  void dockerLoad_bundle_loadsEveryImageWithItsTags() throws Exception {
    byte[] base = layerTar("etc/base.txt", "base " + unique);
    RawManifest oci = image("bundle-it/oci-" + unique, "v1", false, base, layerTar("app.txt", "oci " + unique));
    up.upstream.store().put("bundle-it/oci-" + unique, oci, "latest");
    RawManifest docker = image("bundle-it/docker-" + unique, "v2", true, base, layerTar("app.txt", "docker " + unique));
    Path bundle = tmp.resolve("site.tar");
    BundleCreate.run(up.vertx, up.sync("bundle-it/oci-" + unique + ": [v1, latest]", "bundle-it/docker-" + unique + ": [v2]"),
        bundle, null, List.of(), DestinationNaming.BASE);
    List<String> tags = List.of("oci-" + unique + ":v1", "oci-" + unique + ":latest", "docker-" + unique + ":v2");
    try {
      String out = run("docker", "load", "-i", bundle.toString());

      for (String tag : tags) {
        assertThat(out).contains("Loaded image: " + tag);
      }
      assertThat(run("docker", "image", "inspect", "--format", "{{.Id}}", "oci-" + unique + ":v1").trim())
          .isEqualTo(Manifest.parse(oci.bytes()).config().digest().toString());
      assertThat(run("docker", "image", "inspect", "--format", "{{.Id}}", "docker-" + unique + ":v2").trim())
          .isEqualTo(Manifest.parse(docker.bytes()).config().digest().toString());
    } finally {
      for (String tag : tags) {
        new ProcessBuilder("docker", "rmi", "-f", tag).redirectErrorStream(true).start().waitFor(1, TimeUnit.MINUTES);
      }
    }
  }

  @Test
  void skopeoCopy_ociArchiveByRepoAndTag_readsTheImage() throws Exception {
    RawManifest oci = image("ceph/ceph", "v18", false, layerTar("a.txt", "a"));
    RawManifest other = image("prom/prometheus", "v2", false, layerTar("b.txt", "b"));
    Path bundle = tmp.resolve("site.tar");
    BundleCreate.run(up.vertx, up.sync("ceph/ceph: [v18]", "prom/prometheus: [v2]"), bundle, null, List.of(),
        DestinationNaming.BASE);

    run("skopeo", "--insecure-policy", "copy", "oci-archive:" + bundle + ":prometheus:v2",
        "oci:" + tmp.resolve("out") + ":copied");

    JsonNode index = JSON.readTree(tmp.resolve("out/index.json").toFile());
    assertThat(index.path("manifests").get(0).path("digest").asText()).isEqualTo(other.digest().toString());
    assertThat(oci.digest()).isNotEqualTo(other.digest());
  }

  /** refit mirror --to docker-archive: writes docker save's manifest.json over the layout's blobs. */
  @Test
  void skopeoCopy_dockerArchiveRefitMirrorWrote_readsTheImageWithItsConfig() throws Exception {
    RawManifest oci = image("ceph/ceph", "v18", false, layerTar("a.txt", "a " + unique), layerTar("b.txt", "b"));
    Path archive = tmp.resolve("docker.tar");
    MirrorReport report = Mirror.run(up.vertx, MirrorRequest.of(up.sync("ceph/ceph: [v18]"), tmp.resolve("unused"))
        .withTo("docker-archive:" + archive));
    assertThat(report.failed()).as(report.table()).isEmpty();

    run("skopeo", "--insecure-policy", "copy", "docker-archive:" + archive + ":ceph:v18",
        "oci:" + tmp.resolve("out") + ":copied");

    JsonNode index = JSON.readTree(tmp.resolve("out/index.json").toFile());
    String digest = index.path("manifests").get(0).path("digest").asText();
    JsonNode manifest = JSON.readTree(tmp.resolve("out/blobs/sha256/" + digest.substring("sha256:".length())).toFile());
    assertThat(manifest.path("config").path("digest").asText())
        .isEqualTo(Manifest.parse(oci.bytes()).config().digest().toString());
  }

  /** skopeo writes a docker-archive (docker save's format), refit mirror reads it: same config and layers. */
  @Test
  void mirror_dockerArchiveSkopeoWrote_keepsTheConfigAndLayers() throws Exception {
    RawManifest oci = image("ceph/ceph", "v18", false, layerTar("a.txt", "a " + unique));
    Path archive = tmp.resolve("skopeo-docker.tar");
    run("skopeo", "--insecure-policy", "copy", "--src-tls-verify=false",
        "docker://" + up.upstream.hostPort() + "/ceph/ceph:v18", "docker-archive:" + archive + ":ceph:v18");

    MirrorReport report = Mirror.run(up.vertx, MirrorRequest.of(null, tmp.resolve("store"))
        .withRefs(List.of("docker-archive:" + archive + ":ceph:v18")).withNoFetch(true));

    assertThat(report.failed()).as(report.table()).isEmpty();
    Manifest stored = Manifest.parse(FsStore.open(tmp.resolve("store"), StoreOptions.defaults())
        .get("ceph", "v18").orElseThrow().bytes());
    assertThat(stored.config().digest()).isEqualTo(Manifest.parse(oci.bytes()).config().digest());
    assertThat(stored.layers()).hasSize(1);
  }

  /** skopeo 1.9 looks a name up only among OCI media types in index.json; a Docker schema 2 image is not found by name. */
  /**
   * skopeo 1.9 looks a name up only among index.json entries of OCI media types; a Docker schema
   * 2 image is named through the OCI index that wraps it, and arrives with its own digest.
   */
  @Test
  void skopeoCopy_dockerSchema2ByName_readsItThroughItsWrappingIndex() throws Exception {
    RawManifest docker = image("ceph/ceph", "v18", true, layerTar("a.txt", "a"));
    Path bundle = tmp.resolve("site.tar");
    BundleCreate.run(up.vertx, up.sync("ceph/ceph: [v18]"), bundle, null, List.of(), DestinationNaming.BASE);

    try (InProcessRegistry dest = InProcessRegistry.start(tmp.resolve("dest"))) {
      run("skopeo", "--insecure-policy", "copy", "--dest-tls-verify=false", "oci-archive:" + bundle + ":ceph:v18",
          "docker://" + dest.hostPort() + "/ceph:v18");

      assertThat(dest.store().get("ceph", "v18").orElseThrow().digest()).isEqualTo(docker.digest());
    }
  }

  /** A child JVM running refit bundle load is killed with SIGKILL; the rerun sends only what is missing. */
  @Test
  void bundleLoad_killedMidLoad_rerunSendsOnlyWhatIsMissing() throws Exception {
    StringBuilder repos = new StringBuilder();
    List<Digest> layers = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      RawManifest m = up.images.image("family/image" + i, "v1", Platform.of("linux", "amd64"),
          UpstreamImages.layer(100 + i, 4_000_000));
      layers.add(Manifest.parse(m.bytes()).layers().get(0).digest());
      repos.append(i == 0 ? "" : "\n    ").append("family/image").append(i).append(": [v1]");
    }
    Path bundle = tmp.resolve("family.tar");
    BundleCreate.run(up.vertx, up.sync(repos.toString()), bundle, null, List.of(), DestinationNaming.BASE);
    Path root = tmp.resolve("store");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        "dev.refit.pipeline.cli.Main", "bundle", "load", bundle.toString(), "--root", root.toString(),
        "--cache-dir", tmp.resolve("cache").toString())
        .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (present(root, layers) < 3 && child.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    child.destroyForcibly();
    assertThat(child.waitFor(1, TimeUnit.MINUTES)).isTrue();
    int before = present(root, layers);
    assertThat(before).as(Files.readString(tmp.resolve("child.log"))).isPositive();

    Destination destination = Destinations.open(up.vertx, null, root, true);
    BundleLoad.Outcome outcome;
    try {
      outcome = BundleLoad.run(bundle, destination, tmp.resolve("work"));
    } finally {
      Await.result(destination.close(), Duration.ofSeconds(30), "closing");
    }

    assertThat(outcome.sent()).isLessThanOrEqualTo(24 - before);
    assertThat(outcome.skipped()).isGreaterThanOrEqualTo(before);
    FsStore store = FsStore.open(root, StoreOptions.defaults());
    VerifyReport verified = new StoreVerifier(store).verify();
    assertThat(verified.ok()).as(verified.toString()).isTrue();
    for (int i = 0; i < 12; i++) {
      assertThat(store.get("image" + i, "v1")).isPresent();
    }
  }

  private static int present(Path root, List<Digest> layers) {
    if (!Files.isDirectory(root)) {
      return 0;
    }
    FsStore store = FsStore.open(root, StoreOptions.defaults());
    return (int) layers.stream().filter(d -> store.stat(d).isPresent()).count();
  }

  private RawManifest image(String repo, String tag, boolean dockerTypes, byte[]... tars) {
    return RealImages.image(up.images, up.upstream.store(), repo, tag, dockerTypes, tars);
  }

  private static byte[] layerTar(String path, String content) {
    return RealImages.layerTar(path, content);
  }

  private String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    return out;
  }
}
