package dev.refit.patches.image;

import dev.refit.patches.engine.FileChange;
import dev.refit.patches.engine.ParsedPatch;
import dev.refit.patches.fs.PathSafety;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The paths the patch engine will look up to apply patches in a target directory: every
 * component of the target directory (it resolves symlinks there), each touched file and every
 * directory between it and the target (it refuses symlinks there). Handing this to
 * {@link ImageFileSource#prefetch} resolves them in one pass. Stateless; thread-safe.
 */
public final class PatchPrefetch {
  private PatchPrefetch() {}

  public static PathRequest requestFor(Collection<ParsedPatch> patches, String targetDir) {
    String target = PathSafety.normaliseDir(targetDir);
    Set<String> paths = new LinkedHashSet<>();
    addWithAncestors(target, "", paths);
    for (ParsedPatch patch : patches) {
      for (FileChange change : patch.files()) {
        for (String p : new String[] {change.oldPath(), change.newPath()}) {
          if (p != null) {
            addWithAncestors(PathSafety.resolve(target, p), target, paths);
          }
        }
      }
    }
    return PathRequest.of(paths);
  }

  private static void addWithAncestors(String path, String stopAt, Set<String> out) {
    for (String p = path; !p.isEmpty() && !p.equals(stopAt); p = PathSafety.parent(p)) {
      out.add(p);
    }
  }
}
