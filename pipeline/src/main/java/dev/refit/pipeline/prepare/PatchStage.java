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
import dev.refit.patches.image.ImageAccess;
import dev.refit.patches.image.PatchPrefetch;
import dev.refit.patches.image.PathRequest;
import dev.refit.patches.mapping.Plan;
import dev.refit.patches.source.FetchedPatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The patch stage: applies the patches the plan maps to one image over the files of its local
 * copy and returns what changes. Patches apply in plan order, each over the result of the ones
 * before it ({@link PatchedFiles}). Thread-safe (no shared mutable state); blocking, so it runs
 * on the prepare work pool.
 */
final class PatchStage {
  /** The patched files of one image and the patches that produced them. */
  record Patched(List<AppliedPatch> applied, PatchResult result) {}

  private final ImageAccess access;
  private final Map<String, FetchedPatch> bySha;
  private final PatchOptions options;
  private final PatchEngine engine;

  PatchStage(ImageAccess access, Map<String, FetchedPatch> bySha, PatchOptions options) {
    this.access = access;
    this.bySha = bySha;
    this.options = options;
    this.engine = new PatchEngine(options);
  }

  /** Applies {@code plans} (those targeting {@code service}) under {@code workDir}. */
  Patched apply(String service, List<Plan.PatchPlan> plans, Path workDir) {
    List<AppliedPatch> applied = new ArrayList<>();
    PatchResult result = PatchResult.empty();
    int n = 0;
    for (Plan.PatchPlan plan : plans) {
      FetchedPatch fetched = bySha.get(plan.sha256());
      if (fetched == null) {
        throw new IllegalStateException("patch " + plan.id() + " is in the plan but was not fetched");
      }
      for (Plan.Target target : plan.targets()) {
        if (!target.image().equals(service)) {
          continue;
        }
        Path work = workDir.resolve("p" + (n++));
        result = result.merge(applyOne(service, fetched, target.path(), work, result));
      }
      applied.add(AppliedPatch.of(plan.id(), plan.source(), fetched.sha256()));
    }
    return new Patched(applied, result);
  }

  private PatchResult applyOne(String service, FetchedPatch fetched, String targetDir, Path work,
      PatchResult sofar) {
    if (FetchedPatch.STATUS_TREE.equals(fetched.status())) {
      // The base is asked for every path the tree lays down, and each directory above it.
      FileSource base = new PatchedFiles(
          access.files(service, treeRequest(fetched.file(), targetDir)), sofar);
      return TreeDelta.compute(DirectoryFileSource.of(fetched.file()), base, targetDir, false, work);
    }
    ParsedPatch parsed = ParsedPatch.parse(fetched.file(), options);
    FileSource base = new PatchedFiles(
        access.files(service, PatchPrefetch.requestFor(List.of(parsed), targetDir)), sofar);
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
