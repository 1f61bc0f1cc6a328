package dev.refit.pipeline.verify;

import dev.refit.error.Causes;
import dev.refit.patches.engine.ChangedFile;
import dev.refit.patches.engine.PatchException;
import dev.refit.patches.engine.PatchResult;
import dev.refit.patches.fs.FileSource;
import dev.refit.patches.image.PathRequest;
import dev.refit.patches.source.PatchDigests;
import dev.refit.pipeline.prepare.AppliedRecord;
import dev.refit.pipeline.prepare.PatchApplier;
import dev.refit.registry.oci.Digest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What an {@code :apex} image's patches change in its base, re-applied from the cache as
 * prepare applied them ({@link AppliedRecord}, {@link PatchApplier}): per path the expected file
 * (mode, owner, sha256 of its content) or its deletion, and which patch wrote it. A patch whose
 * bytes no longer hash to the recorded sha256, or that no longer applies, is a {@link Finding}
 * and is left out. Blocking; stateless.
 */
final class ExpectedChanges {
  /** A file as the patches leave it; {@code path} is normalised (no leading '/'). */
  record File(String path, int mode, int uid, int gid, long size, Digest sha256, String patch) {}

  /**
   * @param files by normalised path
   * @param deleted normalised path → the id of the patch that deletes it
   * @param findings patches that could not be re-applied
   */
  record Result(NavigableMap<String, File> files, Map<String, String> deleted, List<Finding> findings) {
    /** The patch that writes or deletes {@code path}, if any. */
    Optional<String> patchOf(String path) {
      File f = files.get(path);
      return Optional.ofNullable(f != null ? f.patch() : deleted.get(path));
    }
  }

  private ExpectedChanges() {}

  /**
   * @param base opens a view of the base image's files resolving a request in one pass
   * @param workDir receives the re-applied contents
   */
  static Result compute(Path cacheDir, AppliedRecord record,
      Function<PathRequest, FileSource> base, Path workDir, String image) {
    PatchApplier applier = new PatchApplier(record.options().patchOptions());
    PatchResult sofar = PatchResult.empty();
    Map<String, String> author = new HashMap<>();
    List<Finding> findings = new ArrayList<>();
    int n = 0;
    for (AppliedRecord.Patch p : record.patches()) {
      Optional<String> bad = checkBytes(cacheDir, p);
      if (bad.isPresent()) {
        findings.add(new Finding(Finding.Kind.PATCH, p.id(), bad.get()));
        continue;
      }
      for (String target : p.targets()) {
        PatchResult step;
        try {
          step = applier.applyStep(new PatchApplier.Step(p.path(cacheDir), p.tree(), target),
              base, workDir.resolve("p" + (n++)), sofar, image);
        } catch (PatchException e) {
          findings.add(new Finding(Finding.Kind.PATCH, p.id(),
              "no longer applies to the base at /" + target + ": " + Causes.describe(e)));
          break;
        }
        step.changed().forEach(c -> author.put(c.path(), p.id()));
        step.deleted().forEach(d -> author.put(d, p.id()));
        sofar = sofar.merge(step);
      }
    }
    NavigableMap<String, File> files = new TreeMap<>();
    for (ChangedFile c : sofar.changed()) {
      files.put(c.path(), new File(c.path(), c.mode(), c.uid(), c.gid(), c.size(), c.sha256(),
          author.get(c.path())));
    }
    Map<String, String> deleted = new TreeMap<>();
    sofar.deleted().forEach(d -> deleted.put(d, author.get(d)));
    return new Result(files, deleted, findings);
  }

  /** Why a recorded patch cannot be re-applied from the cache, if it cannot. */
  private static Optional<String> checkBytes(Path cacheDir, AppliedRecord.Patch p) {
    Path file = p.path(cacheDir);
    boolean present = p.tree() ? Files.isDirectory(file) : Files.isRegularFile(file);
    if (!present) {
      return Optional.of((p.tree() ? "its install tree " : "its patch file ") + file
          + " is gone, so it cannot be re-applied");
    }
    Digest actual = p.tree() ? PatchDigests.tree(file) : PatchDigests.file(file);
    return actual.toString().equals(p.sha256()) ? Optional.empty()
        : Optional.of("its bytes in " + file + " hash to " + actual + ", not to the recorded "
            + p.sha256() + "; the cached patch was altered");
  }
}
