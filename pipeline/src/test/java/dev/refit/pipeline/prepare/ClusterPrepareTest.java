package dev.refit.pipeline.prepare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.error.RefitException;
import dev.refit.pipeline.cluster.ClusterNode;
import dev.refit.pipeline.cluster.ClusterOptions;
import dev.refit.pipeline.fetch.UpstreamAccess;
import dev.refit.pipeline.local.FreeAddress;
import dev.refit.registry.client.ClientOptions;
import dev.refit.registry.testkit.InProcessRegistry;
import dev.refit.settings.LoadedSettings;
import dev.refit.settings.config.LocalRegistryConfig;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A coordinator and a worker, two clustered Vert.x instances in this JVM on loopback, against
 * refit's own registry served by URL: the same images as a local run, and the clear failures.
 * The multi-process run with a killed worker is {@code ClusterPrepareIT}.
 */
class ClusterPrepareTest {
  @TempDir Path tmp;

  @Test
  void prepare_oneWorker_publishesTheDigestsOfALocalRun() throws Exception {
    try (UpstreamFixture fixture = new UpstreamFixture(tmp.resolve("fixture"));
        InProcessRegistry localStore = InProcessRegistry.start(tmp.resolve("local-store"));
        InProcessRegistry shared = InProcessRegistry.start(tmp.resolve("shared-store"))) {
      PrepareReport local = UpstreamFixture.prepare(external(fixture.settings(), localStore),
          PrepareOptions.of(tmp.resolve("local-cache")));
      assertThat(local.exitCode()).as(local.table()).isZero();

      int port = port();
      ClusterOptions cluster = options(port, List.of());
      Vertx coordinator = ClusterNode.join(cluster, "dev");
      Vertx workerNode = ClusterNode.join(options(port(), List.of("127.0.0.1:" + port)), "dev");
      try {
        List<String> workerLog = new java.util.concurrent.CopyOnWriteArrayList<>();
        ClusterWorker worker = UpstreamFixture.await(
            ClusterWorker.start(workerNode, tmp.resolve("worker-cache"), "dev", workerLog::add));
        PrepareReport clustered = coordinate(coordinator, cluster, fixture, shared,
            tmp.resolve("coordinator"));
        UpstreamFixture.await(worker.close());

        assertThat(clustered.exitCode()).as(clustered.table()).isZero();
        assertThat(rows(clustered)).isEqualTo(rows(local));
        assertThat(rows(clustered).values()).anyMatch(r -> r.startsWith("patched"));
        assertThat(workerLog).as("the worker ran the jobs").contains("nova-api: patched in "
            + clustered.images().stream().filter(o -> o.service().equals("nova-api")).findFirst()
                .orElseThrow().millis() + " ms");
      } finally {
        UpstreamFixture.await(workerNode.close());
        UpstreamFixture.await(coordinator.close());
      }
    }
  }

  @Test
  void prepare_noWorker_failsEachImageAfterTheWaitNamingTheWorkerCommand() throws Exception {
    try (UpstreamFixture fixture = new UpstreamFixture(tmp.resolve("fixture"));
        InProcessRegistry shared = InProcessRegistry.start(tmp.resolve("shared-store"))) {
      ClusterOptions cluster = options(port(), List.of("127.0.0.1:" + port()));
      Vertx coordinator = ClusterNode.join(cluster, "dev");
      try {
        PrepareReport report = coordinate(coordinator, cluster, fixture, shared,
            tmp.resolve("coordinator"));

        assertThat(report.exitCode()).isEqualTo(1);
        assertThat(report.images()).hasSize(UpstreamFixture.SERVICES.size()).allSatisfy(o -> {
          assertThat(o.action()).isEqualTo(Action.FAILED);
          assertThat(o.reason()).contains("no refit worker took the job within 2s")
              .contains("members given: " + cluster.members().get(0))
              .contains("refit worker --cluster' with --cluster-members naming " + cluster.self());
        });
      } finally {
        UpstreamFixture.await(coordinator.close());
      }
    }
  }

  @Test
  void prepare_clusterWithEmbeddedStore_isRefusedBeforeAnyJob() throws Exception {
    try (UpstreamFixture fixture = new UpstreamFixture(tmp.resolve("fixture"))) {
      PreparePipeline pipeline = new PreparePipeline(fixture.vertx, fixture.settings(),
          PrepareOptions.of(tmp.resolve("cache")), UpstreamAccess.of(fixture.vertx,
              ClientOptions.defaults(), tmp.resolve("cache"), false))
          .withCluster(spec(fixture, URI.create("http://127.0.0.1:1")), options(port(), List.of()));

      assertThatThrownBy(() -> UpstreamFixture.await(pipeline.run()))
          .hasCauseInstanceOf(RefitException.class)
          .hasMessageContaining("the embedded store serves one machine")
          .hasMessageContaining("--cluster");
    }
  }

  /** Runs prepare as the coordinator on {@code vertx}, pushing to {@code shared}. */
  private static PrepareReport coordinate(Vertx vertx, ClusterOptions cluster,
      UpstreamFixture fixture, InProcessRegistry shared, Path cache) throws Exception {
    URI url = URI.create("http://" + shared.hostPort());
    UpstreamAccess access = UpstreamAccess.of(vertx, ClientOptions.defaults(), cache, false);
    return UpstreamFixture.await(new PreparePipeline(vertx, external(fixture.settings(), shared),
            PrepareOptions.of(cache), access)
        .withCluster(spec(fixture, url), cluster)
        .run().eventually(access::close));
  }

  private static RunSpec spec(UpstreamFixture fixture, URI registry) {
    return new RunSpec(fixture.settingsFile, null, fixture.refitYaml, registry, "daemonless", false);
  }

  private static LoadedSettings external(LoadedSettings s, InProcessRegistry registry) {
    return new LoadedSettings(s.deploy(), s.common(), s.patches(), s.config().withLocalRegistry(
        LocalRegistryConfig.external(URI.create("http://" + registry.hostPort()))));
  }

  /** service → "action apexDigest" of each row. */
  static Map<String, String> rows(PrepareReport report) {
    Map<String, String> rows = new TreeMap<>();
    report.images().forEach(o -> rows.put(o.service(), o.action().label() + " " + o.apexDigest()));
    return rows;
  }

  private static ClusterOptions options(int port, List<String> members) {
    return new ClusterOptions("127.0.0.1", port, members, Duration.ofSeconds(2));
  }

  private static int port() {
    String address = FreeAddress.loopback();
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }
}
