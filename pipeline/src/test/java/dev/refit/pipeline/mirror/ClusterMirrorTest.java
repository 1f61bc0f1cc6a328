package dev.refit.pipeline.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.pipeline.cluster.ClusterNode;
import dev.refit.pipeline.cluster.ClusterOptions;
import dev.refit.pipeline.local.FreeAddress;
import dev.refit.registry.oci.Platform;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.testkit.InProcessRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A coordinator and a worker, two clustered Vert.x instances in this JVM on loopback, mirroring
 * from an in-process upstream into refit's own registry served by URL: the same tags and
 * digests as a local run of the same sync file, copied by the worker, and the clear failure when
 * no worker is there. The CLI's refusals before joining are in {@code MirrorCommandTest}.
 */
class ClusterMirrorTest {
  private static final Platform AMD64 = Platform.of("linux", "amd64");
  private static final Platform ARM64 = new Platform("linux", "arm64", "v8", null, List.of());

  @TempDir Path tmp;
  @RegisterExtension final UpstreamFixture up = new UpstreamFixture();
  private Path sync;
  private Map<String, String> upstreamDigests;

  @BeforeEach
  void images() throws Exception {
    byte[] base = UpstreamImages.layer(1, 200_000);
    RawManifest v18 = up.images.image("ceph/ceph", "v18", AMD64, base, UpstreamImages.layer(2, 50_000));
    RawManifest v17 = up.images.image("ceph/ceph", "v17", AMD64, base, UpstreamImages.layer(3, 40_000));
    RawManifest prom = up.images.image("prom/prometheus", "v2.43.0", AMD64, base, UpstreamImages.layer(4, 30_000));
    up.images.image("prom/prometheus", "v1.8.2", AMD64, UpstreamImages.layer(5, 1_000));
    RawManifest x86 = up.images.image("ceph/ceph-grafana", "6.7.4-x86_64", AMD64, UpstreamImages.layer(6, 9_000));
    RawManifest arm = up.images.image("ceph/ceph-grafana", "6.7.4-aarch64", ARM64, UpstreamImages.layer(7, 9_000));
    upstreamDigests = Map.of("ceph:v18", v18.digest().toString(), "ceph:v17", v17.digest().toString(),
        "prometheus:v2.43.0", prom.digest().toString(), "ceph-grafana:6.7.4-x86_64", x86.digest().toString(),
        "ceph-grafana:6.7.4-aarch64", arm.digest().toString());
    sync = Files.writeString(tmp.resolve("sync.yaml"), """
        %s:
          images:
            ceph/ceph: []
            ceph/ceph-grafana: [6.7.4-x86_64, 6.7.4-aarch64]
          images-by-tag-regex:
            prom/prometheus: ^v2\\.
          refit:
            assemble:
              ceph/ceph-grafana:
                "6.7.4": [6.7.4-x86_64, 6.7.4-aarch64]
        """.formatted(up.upstream.hostPort()));
  }

  @Test
  void mirror_oneWorker_writesTheTagsAndDigestsOfALocalRun() throws Exception {
    try (InProcessRegistry localDest = InProcessRegistry.start(tmp.resolve("local-dest"));
        InProcessRegistry sharedDest = InProcessRegistry.start(tmp.resolve("shared-dest"))) {
      MirrorReport local = Mirror.run(up.vertx, MirrorRequest.of(sync, tmp.resolve("store"))
          .withTo("docker://" + localDest.hostPort() + "/mirror"));
      assertThat(local.failed()).as(local.table()).isEmpty();

      int port = port();
      ClusterOptions cluster = options(port, List.of());
      Vertx coordinator = ClusterNode.join(cluster, "dev");
      Vertx workerNode = ClusterNode.join(options(port(), List.of("127.0.0.1:" + port)), "dev");
      try {
        List<String> workerLog = new CopyOnWriteArrayList<>();
        MirrorWorker worker = await(MirrorWorker.start(workerNode, "dev", workerLog::add));
        MirrorReport clustered = Mirror.run(coordinator, MirrorRequest.of(sync, tmp.resolve("store"))
            .withTo("docker://" + sharedDest.hostPort() + "/mirror"), clusterRun(cluster));
        await(worker.close());

        assertThat(clustered.failed()).as(clustered.table()).isEmpty();
        assertThat(rows(clustered)).isEqualTo(rows(local)).hasSize(6);
        assertThat(blobsCopied(clustered)).as("each blob crosses once, as in a local run")
            .isEqualTo(blobsCopied(local)).isPositive();
        assertThat(clustered.images()).extracting(MirrorOutcome::action)
            .containsOnly(MirrorOutcome.COPIED, MirrorOutcome.ASSEMBLED);
        assertThat(tags(sharedDest)).isEqualTo(tags(localDest)).containsAllEntriesOf(upstreamDigests)
            .containsKey("ceph-grafana:6.7.4");
        assertThat(workerLog).as("the worker copied every image").hasSize(12)
            .filteredOn(l -> l.contains(": copied to docker://" + sharedDest.hostPort() + "/mirror/")
                || l.contains(": assembled to docker://" + sharedDest.hostPort() + "/mirror/"))
            .hasSize(6);
      } finally {
        await(workerNode.close());
        await(coordinator.close());
      }
    }
  }

  @Test
  void mirror_noWorker_failsEachImageAfterTheWaitNamingTheWorkerCommand() throws Exception {
    try (InProcessRegistry sharedDest = InProcessRegistry.start(tmp.resolve("shared-dest"))) {
      ClusterOptions cluster = options(port(), List.of("127.0.0.1:" + port()));
      Vertx coordinator = ClusterNode.join(cluster, "dev");
      try {
        MirrorReport report = Mirror.run(coordinator, MirrorRequest.of(sync, tmp.resolve("store"))
            .withTo("docker://" + sharedDest.hostPort()), clusterRun(cluster));

        assertThat(report.images()).hasSize(6).allSatisfy(o -> {
          assertThat(o.failed()).isTrue();
          assertThat(o.error()).contains("no refit worker took the job within 2s")
              .contains("members given: " + cluster.members().get(0))
              .contains("refit worker --cluster' with --cluster-members naming " + cluster.self());
        });
        assertThat(sharedDest.store().get("ceph", "v18")).isEmpty();
      } finally {
        await(coordinator.close());
      }
    }
  }

  /** source → "action digest" of each row. */
  private static Map<String, String> rows(MirrorReport report) {
    Map<String, String> rows = new TreeMap<>();
    report.images().forEach(o -> rows.put(o.source(), o.action() + " " + o.digest()));
    return rows;
  }

  private static int blobsCopied(MirrorReport report) {
    return report.images().stream().mapToInt(MirrorOutcome::blobsCopied).sum();
  }

  /** repository:tag → digest of every tag under the destination's {@code mirror/} prefix. */
  private static Map<String, String> tags(InProcessRegistry registry) {
    Map<String, String> tags = new TreeMap<>();
    for (String repo : List.of("ceph", "prometheus", "ceph-grafana")) {
      for (String tag : registry.store().tags("mirror/" + repo)) {
        tags.put(repo + ":" + tag, registry.store().get("mirror/" + repo, tag).orElseThrow().digest().toString());
      }
    }
    return tags;
  }

  private static Mirror.Cluster clusterRun(ClusterOptions cluster) {
    return new Mirror.Cluster(cluster, Duration.ofMinutes(1), "dev", notice -> {});
  }

  private static ClusterOptions options(int port, List<String> members) {
    return new ClusterOptions("127.0.0.1", port, members, Duration.ofSeconds(2));
  }

  private static int port() {
    String address = FreeAddress.loopback();
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
  }
}
