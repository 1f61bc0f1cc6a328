package dev.refit.pipeline.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.registry.oci.Platform;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.store.fs.FsStore;
import dev.refit.registry.store.fs.StoreOptions;
import dev.refit.registry.store.fs.StoreVerifier;
import dev.refit.registry.store.fs.VerifyReport;
import dev.refit.registry.testkit.InProcessRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * refit mirror against its real peers: skopeo sync given the same YAML (parity), and a child
 * JVM running {@code refit mirror} killed with SIGKILL mid-copy (resume).
 */
class MirrorIT {
  private static final Platform AMD64 = Platform.of("linux", "amd64");
  private static final Platform ARM64 = Platform.of("linux", "arm64");

  @TempDir Path tmp;

  /** The same YAML to skopeo sync --src yaml --dest docker and to refit mirror: same repo:tag set, same digests. */
  @Test
  void mirror_sameYamlAsSkopeoSync_mirrorsTheSameTagsWithTheSameDigests() throws Exception {
    try (InProcessRegistry upstream = InProcessRegistry.start(tmp.resolve("upstream"));
        InProcessRegistry skopeoDest = InProcessRegistry.start(tmp.resolve("skopeo-dest"));
        InProcessRegistry refitDest = InProcessRegistry.start(tmp.resolve("refit-dest"))) {
      UpstreamImages images = new UpstreamImages(upstream.store());
      byte[] base = UpstreamImages.layer(1, 200_000);
      images.image("ceph/ceph", "v18", AMD64, base);
      images.image("ceph/ceph", "v17", AMD64, base, UpstreamImages.layer(2, 1_000));
      RawManifest amd = images.image("prom/node-exporter", null, AMD64, base);
      RawManifest arm = images.image("prom/node-exporter", null, ARM64, UpstreamImages.layer(3, 1_000));
      images.index("prom/node-exporter", "v1.5.0", List.of(amd, arm), List.of(AMD64, ARM64));
      RawManifest byDigest = images.image("ceph/keepalived", "2.1.5", AMD64, UpstreamImages.layer(4, 1_000));
      images.image("prom/alertmanager", "v0.25.0", AMD64, base);
      images.image("prom/alertmanager", "v0.20.0", AMD64, base);
      Path sync = Files.writeString(tmp.resolve("sync.yaml"), """
          %s:
            tls-verify: false
            images:
              ceph/ceph: []
              prom/node-exporter: [v1.5.0]
              ceph/keepalived: ["%s"]
            images-by-tag-regex:
              prom/alertmanager: ^v0\\.2[5-9]
            refit:
              retag: {}
          """.formatted(upstream.hostPort(), byDigest.digest()));

      run(List.of("skopeo", "--insecure-policy", "sync", "--all", "--src", "yaml", "--dest", "docker",
          "--dest-tls-verify=false", sync.toString(), skopeoDest.hostPort() + "/mirror"));
      Vertx vertx = Vertx.vertx();
      try {
        MirrorReport report = Mirror.run(vertx, MirrorRequest.of(sync, null)
            .withTo("docker://" + refitDest.hostPort() + "/mirror"));
        assertThat(report.failed()).as(report.table()).isEmpty();
      } finally {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }

      Map<String, String> bySkopeo = contents(skopeoDest.store());
      assertThat(bySkopeo).containsKeys("mirror/ceph:v18", "mirror/ceph:v17", "mirror/node-exporter:v1.5.0",
          "mirror/alertmanager:v0.25.0").doesNotContainKey("mirror/alertmanager:v0.20.0");
      assertThat(contents(refitDest.store())).isEqualTo(bySkopeo);
      assertThat(refitDest.store().get("mirror/keepalived", byDigest.digest().toString())).isPresent();
    }
  }

  /** A child JVM running refit mirror is killed mid-copy; the rerun copies only what is missing. */
  @Test
  void mirror_killedMidCopy_rerunCopiesOnlyWhatIsMissing() throws Exception {
    try (InProcessRegistry upstream = InProcessRegistry.start(tmp.resolve("upstream"))) {
      UpstreamImages images = new UpstreamImages(upstream.store());
      StringBuilder yaml = new StringBuilder(upstream.hostPort() + ":\n  images:\n");
      for (int i = 0; i < 12; i++) {
        images.image("family/image" + i, "v1", AMD64, UpstreamImages.layer(100 + i, 4_000_000));
        yaml.append("    family/image").append(i).append(": [v1]\n");
      }
      Path sync = Files.writeString(tmp.resolve("sync.yaml"), yaml);
      Path root = tmp.resolve("store");
      Path java = Path.of(System.getProperty("java.home"), "bin", "java");
      Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
          "dev.refit.pipeline.cli.Main", "mirror", "-f", sync.toString(), "--root", root.toString(),
          "--concurrency", "1").redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
      // Kill once some, but not all, images are in the store.
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (tagged(root) < 3 && child.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      child.destroyForcibly();
      assertThat(child.waitFor(1, TimeUnit.MINUTES)).isTrue();
      int before = tagged(root);
      assertThat(before).as(Files.readString(tmp.resolve("child.log"))).isBetween(1, 11);

      Vertx vertx = Vertx.vertx();
      try {
        MirrorReport report = Mirror.run(vertx, MirrorRequest.of(sync, root));
        assertThat(report.failed()).as(report.table()).isEmpty();
        long unchanged = report.images().stream().filter(o -> o.action().equals(MirrorOutcome.UNCHANGED)).count();
        assertThat(unchanged).as(report.table()).isGreaterThanOrEqualTo(before);
        assertThat(report.images().stream().mapToInt(MirrorOutcome::blobsCopied).sum())
            .as("only the missing images' blobs: " + report.table()).isLessThanOrEqualTo(2 * (12 - before));
      } finally {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      FsStore store = FsStore.open(root, StoreOptions.defaults());
      VerifyReport verified = new StoreVerifier(store).verify();
      assertThat(verified.ok()).as(verified.toString()).isTrue();
      assertThat(tagged(root)).isEqualTo(12);
    }
  }

  private static int tagged(Path root) {
    if (!Files.isDirectory(root)) {
      return 0;
    }
    FsStore store = FsStore.open(root, StoreOptions.defaults());
    int n = 0;
    for (int i = 0; i < 12; i++) {
      n += store.get("image" + i, "v1").isPresent() ? 1 : 0;
    }
    return n;
  }

  /** repository:tag → digest of everything tagged in the store. */
  private static Map<String, String> contents(FsStore store) {
    Map<String, String> out = new TreeMap<>();
    for (String repo : store.repositories()) {
      for (String tag : store.tags(repo)) {
        out.put(repo + ":" + tag, store.get(repo, tag).orElseThrow().digest().toString());
      }
    }
    return out;
  }

  /** skopeo reads the oci-archive refit wrote, and refit reads the one skopeo wrote: same digest. */
  @Test
  void mirror_ociArchive_skopeoCopiesWhatRefitWroteAndRefitReadsWhatSkopeoWrote() throws Exception {
    try (InProcessRegistry upstream = InProcessRegistry.start(tmp.resolve("upstream"))) {
      RawManifest v18 = new UpstreamImages(upstream.store()).image("ceph/ceph", "v18", AMD64,
          UpstreamImages.layer(1, 100_000));
      Path sync = Files.writeString(tmp.resolve("sync.yaml"),
          "%s:\n  tls-verify: false\n  images:\n    ceph/ceph: [v18]\n".formatted(upstream.hostPort()));
      Path refitTar = tmp.resolve("refit.tar");
      Path skopeoTar = tmp.resolve("skopeo.tar");
      Vertx vertx = Vertx.vertx();
      try {
        Mirror.run(vertx, MirrorRequest.of(sync, tmp.resolve("unused")).withTo("oci-archive:" + refitTar));

        run(List.of("skopeo", "--insecure-policy", "copy", "oci-archive:" + refitTar + ":ceph:v18",
            "oci-archive:" + skopeoTar + ":again"));
        MirrorReport back = Mirror.run(vertx, MirrorRequest.of(null, tmp.resolve("store"))
            .withRefs(List.of("oci-archive:" + skopeoTar + ":again")).withNoFetch(true));

        assertThat(back.failed()).as(back.table()).isEmpty();
        FsStore store = FsStore.open(tmp.resolve("store"), StoreOptions.defaults());
        assertThat(store.get("skopeo", "again").orElseThrow().digest()).isEqualTo(v18.digest());
      } finally {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
  }

  private void run(List<String> command) throws IOException, InterruptedException {
    Path log = tmp.resolve("skopeo.log");
    Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(log)).isZero();
  }
}
