package dev.refit.pipeline.prepare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.patches.dockerfile.AppliedPatch;
import dev.refit.patches.engine.ChangedFile;
import dev.refit.patches.engine.PatchOptions;
import dev.refit.patches.image.LayerCache;
import dev.refit.patches.image.RegistryImageAccess;
import dev.refit.patches.source.FetchedPatch;
import dev.refit.pipeline.fetch.CacheIndex;
import dev.refit.pipeline.fetch.FetchAction;
import dev.refit.pipeline.fetch.ImageFetcher;
import dev.refit.pipeline.fetch.UpstreamAccess;
import dev.refit.pipeline.fetch.UpstreamForms;
import dev.refit.pipeline.rebuild.DaemonlessRebuilder;
import dev.refit.registry.client.BlockingRegistry;
import dev.refit.registry.client.ClientOptions;
import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.io.HashingOutputStream;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.server.RegistryConfig;
import dev.refit.registry.testkit.InProcessRegistry;
import dev.refit.settings.LoadedSettings;
import dev.refit.settings.config.RefitConfig;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each prepare stage on its own, fed with the previous stage's real output: a real upstream
 * registry seeded with the demo images, the demo's patch files, and a real local registry.
 */
class PrepareStagesTest {
  @TempDir Path tmp;
  private UpstreamFixture fixture;
  private InProcessRegistry local;
  private RegistryClient localClient;
  private UpstreamAccess access;
  private WorkerExecutor work;
  private LoadedSettings settings;
  private ApexTarget apex;
  private PatchMapping mapping;
  private ImageFetcher fetcher;

  @BeforeEach
  void start() throws Exception {
    fixture = new UpstreamFixture(tmp.resolve("fixture"));
    local = InProcessRegistry.start(fixture.vertx, RegistryConfig.defaults(tmp.resolve("local")));
    localClient = RegistryClient.create(fixture.vertx, local.hostPort(), ClientOptions.defaults());
    access = UpstreamAccess.of(fixture.vertx, ClientOptions.defaults(), tmp.resolve("cache"), false);
    work = fixture.vertx.createSharedWorkerExecutor("refit-test-stages", 2);
    settings = fixture.settings();
    RefitConfig config = settings.config();
    String os = settings.deploy().osVersion();
    apex = new ApexTarget(local.hostPort(), s -> config.upstream().localRepositoryFor(os, s), "apex");
    List<FetchedPatch> patches = access.patches(config).fetchAll(settings.patches().all()).patches();
    BlockingRegistry reads = new BlockingRegistry(localClient, Duration.ofMinutes(1));
    mapping = new PatchMapping(config, patches, new RegistryImageAccess(
        s -> new RegistryImageAccess.Location(reads, config.upstream().localRepositoryFor(os, s),
            config.upstream().tag()),
        new LayerCache(tmp.resolve("layers")), tmp.resolve("pull")));
    fetcher = access.images(CacheIndex.loadFrom(tmp.resolve("cache")), localClient);
  }

  @AfterEach
  void stop() throws Exception {
    UpstreamFixture.await(work.close());
    UpstreamFixture.await(access.close());
    UpstreamFixture.await(localClient.close());
    local.close();
    fixture.close();
  }

  private ImageTask task(String service) {
    return new ImageTask(service,
        UpstreamForms.imageRef(settings.config().upstream(), settings.deploy().osVersion(), service));
  }

  private PlanStage planStage(InputKeys keys) {
    return new PlanStage(mapping, keys, "fingerprint", localClient, apex, work);
  }

  @Test
  void stages_novaApi_fetchPlanPatchRebuildPublish_thenThePlanAnswersFromTheInputKey() throws Exception {
    FetchStage.Fetched fetched = UpstreamFixture.await(new FetchStage(fetcher, Map.of()).apply(task("nova-api")));
    assertThat(fetched.result().action()).isEqualTo(FetchAction.FETCHED);

    InputKeys keys = InputKeys.load(tmp.resolve("cache"));
    PlanStage.Planned planned = UpstreamFixture.await(planStage(keys).apply(fetched));
    assertThat(planned).isInstanceOf(PlanStage.ToPatch.class);
    PlanStage.ToPatch todo = (PlanStage.ToPatch) planned;
    assertThat(todo.key()).startsWith("sha256:");
    assertThat(todo.plans()).isNotEmpty();

    PatchStage.Patched patched = UpstreamFixture.await(
        new PatchStage(mapping, PatchOptions.defaults(), tmp.resolve("work"), tmp.resolve("cache"), work).apply(todo));
    assertThat(patched.result().changed()).extracting(ChangedFile::path).contains(UpstreamFixture.NOVA_FILE);
    Path cache = tmp.resolve("cache");
    AppliedRecord record = AppliedRecord.load(cache, fetched.result().digest(),
        patched.applied().stream().map(AppliedPatch::sha256).toList()).orElseThrow();
    assertThat(record.patches()).singleElement().satisfies(p -> {
      assertThat(p.targets()).containsExactly(todo.plans().get(0).targets().get(0).path());
      assertThat(p.path(cache)).startsWith(cache.resolve("patches"));
      assertThat(HashingOutputStream.hash(p.path(cache), Digest.Algorithm.SHA256).toString())
          .isEqualTo(p.sha256());
    });

    RebuildStage.Rebuilt rebuilt = UpstreamFixture.await(new RebuildStage(
        DaemonlessRebuilder.of(localClient, tmp.resolve("jib"), "test"), apex, work).apply(patched));
    ImageOutcome outcome = UpstreamFixture.await(new PublishStage(keys, apex, work).apply(rebuilt));
    assertThat(outcome.action()).isEqualTo(Action.PATCHED);
    assertThat(outcome.apexDigest()).isEqualTo(rebuilt.result().manifestDigest().toString());
    assertThat(local.store().tags(apex.repository("nova-api"))).contains("apex");

    PlanStage.Planned again = UpstreamFixture.await(planStage(InputKeys.load(tmp.resolve("cache"))).apply(fetched));
    assertThat(again).isInstanceOfSatisfying(PlanStage.Done.class, done -> {
      assertThat(done.outcome().action()).isEqualTo(Action.UNCHANGED);
      assertThat(done.outcome().apexDigest()).isEqualTo(outcome.apexDigest());
    });
  }

  @Test
  void planStage_imageNoPatchTargets_isDoneAsAMirror() throws Exception {
    FetchStage.Fetched fetched = UpstreamFixture.await(
        new FetchStage(fetcher, Map.of()).apply(task("novajoin-server")));

    PlanStage.Planned planned = UpstreamFixture.await(
        planStage(InputKeys.load(tmp.resolve("cache"))).apply(fetched));

    assertThat(planned).isInstanceOfSatisfying(PlanStage.Done.class, done -> {
      assertThat(done.outcome().action()).isEqualTo(Action.FETCHED);
      assertThat(done.outcome().reason()).isEqualTo("no patch targets this image");
    });
  }

  @Test
  void imageJob_patchThatNoLongerApplies_isAFailedRowNamingTheStage() throws Exception {
    FetchStage.Fetched fetched = UpstreamFixture.await(new FetchStage(fetcher, Map.of()).apply(task("nova-api")));
    PlanStage.ToPatch todo = (PlanStage.ToPatch) UpstreamFixture.await(
        planStage(InputKeys.load(tmp.resolve("cache"))).apply(fetched));
    // The patch stage fails, as it does when a hunk does not apply.
    ImageJob job = new ImageJob(
        new FetchStage(fetcher, Map.of(task("nova-api").upstream(), fetched.result())),
        f -> Future.succeededFuture(todo),
        p -> Future.failedFuture(new IllegalStateException("hunk 1 does not apply")),
        p -> Future.failedFuture(new AssertionError("no rebuild after a failed patch")),
        r -> Future.failedFuture(new AssertionError("no publish after a failed patch")),
        "test", fixture.vertx.eventBus());

    ImageOutcome outcome = UpstreamFixture.await(job.run(task("nova-api")));

    assertThat(outcome.action()).isEqualTo(Action.FAILED);
    assertThat(outcome.reason()).isEqualTo("patch: hunk 1 does not apply");
    assertThat(outcome.upstreamDigest()).isEqualTo(fetched.result().digest().toString());
  }
}
