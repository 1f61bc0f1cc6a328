package dev.refit.pipeline.prepare;

import dev.refit.patches.dockerfile.AppliedPatch;
import dev.refit.patches.engine.PatchOptions;
import dev.refit.patches.engine.PatchResult;
import dev.refit.patches.mapping.Plan;
import dev.refit.patches.source.FetchedPatch;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Patch: applies the patches the plan maps to one image over the files of its local copy and
 * returns what changes ({@link PatchApplier}), recording how for {@code refit verify}
 * ({@link AppliedRecord}). Thread-safe (no shared mutable state); the patching itself is blocking
 * and runs on the run's worker pool, each image under its own work directory.
 */
final class PatchStage implements Stage<PlanStage.ToPatch, PatchStage.Patched> {
  /** The patched files of one image and the patches that produced them. */
  record Patched(PlanStage.ToPatch planned, List<AppliedPatch> applied, PatchResult result) {
    String service() {
      return planned.service();
    }

    List<String> ids() {
      return planned.plans().stream().map(Plan.PatchPlan::id).toList();
    }
  }

  private final PatchMapping mapping;
  private final PatchOptions options;
  private final PatchApplier applier;
  private final Path workRoot;
  private final Path cacheDir;
  private final WorkerExecutor work;

  /** @param cacheDir where each image's {@link AppliedRecord} is kept for {@code refit verify} */
  PatchStage(PatchMapping mapping, PatchOptions options, Path workRoot, Path cacheDir,
      WorkerExecutor work) {
    this.mapping = mapping;
    this.options = options;
    this.applier = new PatchApplier(options);
    this.workRoot = workRoot;
    this.cacheDir = cacheDir;
    this.work = work;
  }

  @Override
  public Future<Patched> apply(PlanStage.ToPatch planned) {
    String service = planned.service();
    return work.executeBlocking(() -> patch(planned, workRoot.resolve(service)), false);
  }

  /** Applies the plans (those targeting the image) under {@code workDir}. Blocking. */
  private Patched patch(PlanStage.ToPatch planned, Path workDir) {
    String service = planned.service();
    List<AppliedPatch> applied = new ArrayList<>();
    List<PatchApplier.Step> steps = new ArrayList<>();
    List<AppliedRecord.Patch> recorded = new ArrayList<>();
    for (Plan.PatchPlan plan : planned.plans()) {
      FetchedPatch fetched = mapping.bySha(plan.sha256()).orElseThrow(() ->
          new IllegalStateException("patch " + plan.id() + " is in the plan but was not fetched"));
      boolean tree = FetchedPatch.STATUS_TREE.equals(fetched.status());
      List<String> targets = plan.targets().stream()
          .filter(t -> t.image().equals(service)).map(Plan.Target::path).toList();
      targets.forEach(t -> steps.add(new PatchApplier.Step(fetched.file(), tree, t)));
      applied.add(AppliedPatch.of(plan.id(), plan.source(), fetched.sha256()));
      recorded.add(new AppliedRecord.Patch(plan.id(), fetched.sha256().toString(),
          tree ? AppliedRecord.TREE : AppliedRecord.PATCH, kept(fetched), targets));
    }
    PatchResult result = applier.apply(steps,
        request -> mapping.access().files(service, request), workDir, service);
    new AppliedRecord(planned.fetched().result().digest().toString(),
        AppliedRecord.Options.of(options), recorded).save(cacheDir);
    return new Patched(planned, applied, result);
  }

  /** Where verify finds the patch: a patch file is copied into the cache, unless it is there. */
  private String kept(FetchedPatch fetched) {
    boolean local = FetchedPatch.STATUS_FILE.equals(fetched.status());
    return local ? AppliedRecord.keepCopy(cacheDir, fetched.file(), fetched.sha256())
        : AppliedRecord.name(cacheDir, fetched.file());
  }
}
