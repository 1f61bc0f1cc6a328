package dev.refit.pipeline.prepare;

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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Applies an image's patches in order, each over the result of the ones before it
 * ({@link PatchedFiles}), and returns what changes: the patch stage's work, and what
 * {@code refit verify} re-applies. Thread-safe (no shared state); blocking.
 */
public final class PatchApplier {
  /**
   * One patch placed in the image.
   *
   * @param file the patch file, or the install/ tree's directory when {@code tree}
   * @param targetDir where the project root (or the tree's root) lies in the image
   */
  public record Step(Path file, boolean tree, String targetDir) {
    public Step {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(targetDir, "targetDir");
    }
  }

  private final PatchOptions options;
  private final PatchEngine engine;

  public PatchApplier(PatchOptions options) {
    this.options = options;
    this.engine = new PatchEngine(options);
  }

  /**
   * Applies {@code steps} in order over the image's files; step {@code i} writes its new
   * contents under {@code workDir/p<i>}.
   *
   * @param base opens a view of the image's files resolving a request in one pass
   * @param image the image's name, for messages
   */
  public PatchResult apply(List<Step> steps, Function<PathRequest, FileSource> base, Path workDir,
      String image) {
    PatchResult result = PatchResult.empty();
    int n = 0;
    for (Step step : steps) {
      result = result.merge(applyStep(step, base, workDir.resolve("p" + (n++)), result, image));
    }
    return result;
  }

  /**
   * Applies one step over the image's files as {@code sofar} left them and returns what this
   * step alone changes, its new contents under {@code work}.
   */
  public PatchResult applyStep(Step step, Function<PathRequest, FileSource> base, Path work,
      PatchResult sofar, String image) {
    if (step.tree()) {
      // The base is asked for every path the tree lays down, and each directory above it.
      FileSource files = new PatchedFiles(base.apply(treeRequest(step.file(), step.targetDir())),
          sofar);
      return TreeDelta.compute(DirectoryFileSource.of(step.file()), files, step.targetDir(), false,
          work);
    }
    ParsedPatch parsed = ParsedPatch.parse(step.file(), options);
    FileSource files = new PatchedFiles(
        base.apply(PatchPrefetch.requestFor(List.of(parsed), step.targetDir())), sofar);
    return engine.apply(parsed, files, step.targetDir(), work, image);
  }

  private static PathRequest treeRequest(Path tree, String targetDir) {
    String target = PathSafety.normaliseDir(targetDir);
    Set<String> paths = new TreeSet<>();
    try (Stream<Path> walk = Files.walk(tree)) {
      walk.filter(p -> !p.equals(tree)).forEach(p -> {
        String rel = tree.relativize(p).toString().replace('\\', '/');
        for (String full = target.isEmpty() ? rel : target + "/" + rel; !full.isEmpty();
            full = PathSafety.parent(full)) {
          paths.add(full);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the install tree " + tree, e);
    }
    return PathRequest.of(paths);
  }
}
