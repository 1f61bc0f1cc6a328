package dev.refit.pipeline.prepare;

import dev.refit.patches.dockerfile.AppliedPatch;
import dev.refit.patches.engine.ParsedPatch;
import dev.refit.patches.engine.PatchEngine;
import dev.refit.patches.engine.PatchOptions;
import dev.refit.patches.engine.PatchResult;
import dev.refit.patches.engine.TreeDelta;
import dev.refit.patches.fs.DirectoryFileSource;
import dev.refit.patches.fs.FileSource;
import dev.refit.patches.fs.PathSafety;
import dev.refit.patches.image.PatchPrefetch;
import dev.refit.patches.image.PathRequest;
import dev.refit.patches.mapping.Plan;
import dev.refit.patches.source.FetchedPatch;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Patch: applies the patches the plan maps to one image over the files of its local copy and
 * returns what changes. Patches apply in plan order, each over the result of the ones before it
 * ({@link PatchedFiles}). Thread-safe (no shared mutable state); the patching itself is blocking
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
  private final PatchEngine engine;
  private final Path workRoot;
  private final WorkerExecutor work;

  PatchStage(PatchMapping mapping, PatchOptions options, Path workRoot, WorkerExecutor work) {
    this.mapping = mapping;
    this.options = options;
    this.engine = new PatchEngine(options);
    this.workRoot = workRoot;
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
    List<Plan.PatchPlan> plans = planned.plans();
    List<AppliedPatch> applied = new ArrayList<>();
    PatchResult result = PatchResult.empty();
    int n = 0;
    for (Plan.PatchPlan plan : plans) {
      FetchedPatch fetched = mapping.bySha(plan.sha256()).orElseThrow(() ->
          new IllegalStateException("patch " + plan.id() + " is in the plan but was not fetched"));
      for (Plan.Target target : plan.targets()) {
        if (!target.image().equals(service)) {
          continue;
        }
        Path work = workDir.resolve("p" + (n++));
        result = result.merge(applyOne(service, fetched, target.path(), work, result));
      }
      applied.add(AppliedPatch.of(plan.id(), plan.source(), fetched.sha256()));
    }
    return new Patched(planned, applied, result);
  }

  private PatchResult applyOne(String service, FetchedPatch fetched, String targetDir, Path work,
      PatchResult sofar) {
    if (FetchedPatch.STATUS_TREE.equals(fetched.status())) {
      // The base is asked for every path the tree lays down, and each directory above it.
      FileSource base = new PatchedFiles(
          mapping.access().files(service, treeRequest(fetched.file(), targetDir)), sofar);
      return TreeDelta.compute(DirectoryFileSource.of(fetched.file()), base, targetDir, false, work);
    }
    ParsedPatch parsed = ParsedPatch.parse(fetched.file(), options);
    FileSource base = new PatchedFiles(
        mapping.access().files(service, PatchPrefetch.requestFor(List.of(parsed), targetDir)), sofar);
    return engine.apply(parsed, base, targetDir, work, service);
  }

  private static PathRequest treeRequest(Path tree, String targetDir) {
    String target = PathSafety.normaliseDir(targetDir);
    Set<String> paths = new java.util.TreeSet<>();
    try (var walk = java.nio.file.Files.walk(tree)) {
      walk.filter(p -> !p.equals(tree)).forEach(p -> {
        String rel = tree.relativize(p).toString().replace('\\', '/');
        for (String full = target.isEmpty() ? rel : target + "/" + rel; !full.isEmpty();
            full = PathSafety.parent(full)) {
          paths.add(full);
        }
      });
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read the install tree " + tree, e);
    }
    return PathRequest.of(paths);
  }
}
