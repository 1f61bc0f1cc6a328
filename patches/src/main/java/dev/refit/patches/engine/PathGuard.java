package dev.refit.patches.engine;

import dev.refit.patches.fs.EntryType;
import dev.refit.patches.fs.FileEntry;
import dev.refit.patches.fs.FileSource;
import dev.refit.patches.fs.PathSafety;
import dev.refit.patches.fs.UnsafePathException;
import java.util.Optional;

/**
 * Refuses a path inside an image when any component of it, or the file itself, is a symlink:
 * a write would land wherever the link points (outside the target directory, or somewhere the
 * result does not describe). Stateless and thread-safe; blocking (queries the file source).
 */
final class PathGuard {

  private PathGuard() {}

  /**
   * Checks every parent component of {@code fullPath} and the path itself in {@code base}.
   *
   * @throws UnsafePathException when a component or the file is a symlink
   * @throws PatchException when a parent is not a directory, or the path is a directory
   */
  static void check(FileSource base, String targetDir, String fullPath, String where) {
    String[] parts = fullPath.split("/");
    StringBuilder prefix = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        prefix.append('/');
      }
      prefix.append(parts[i]);
      String p = prefix.toString();
      Optional<FileEntry> e = base.entry(p);
      if (e.isEmpty()) {
        return; // nothing below an absent component can be a link
      }
      FileEntry entry = e.get();
      boolean last = i == parts.length - 1;
      if (entry.type() == EntryType.SYMLINK) {
        String resolved = resolveLink(p, entry.linkTarget());
        boolean outside = resolved == null || !PathSafety.isWithin(targetDir, resolved);
        throw new UnsafePathException(fullPath, (last ? "is" : "goes through") + " symlink "
            + p + " -> " + entry.linkTarget() + " in " + where
            + (outside ? ", which points outside the target directory /" + targetDir
                : "; refit never writes through symlinks"));
      }
      if (!last && entry.type() != EntryType.DIRECTORY) {
        throw new PatchException("cannot patch " + fullPath + " in " + where + ": " + p
            + " is a " + entry.type().name().toLowerCase(java.util.Locale.ROOT)
            + ", not a directory");
      }
      if (last && entry.type() != EntryType.FILE && entry.type() != EntryType.HARDLINK) {
        throw new PatchException("cannot patch " + fullPath + " in " + where + ": it is a "
            + entry.type().name().toLowerCase(java.util.Locale.ROOT) + ", not a regular file");
      }
    }
  }

  /**
   * Resolves symlinks in the target directory itself (images often link e.g.
   * {@code etc/puppet/modules} elsewhere), so results name the real directory and nothing is
   * written through a link. As in the kernel, {@code ..} at the root stays at the root.
   *
   * @throws PatchException after 40 link hops (a loop)
   */
  static String canonicalDir(FileSource base, String dir) {
    java.util.Deque<String> todo = new java.util.ArrayDeque<>(parts(dir));
    String cur = "";
    int hops = 0;
    while (!todo.isEmpty()) {
      String next = cur.isEmpty() ? todo.removeFirst() : cur + "/" + todo.removeFirst();
      Optional<FileEntry> e = base.entry(next);
      if (e.isPresent() && e.get().type() == EntryType.SYMLINK) {
        if (++hops > 40) {
          throw new PatchException("too many levels of symlinks resolving target directory /"
              + dir);
        }
        String t = e.get().linkTarget();
        java.util.List<String> resolved = parts(t.startsWith("/") ? t : cur + "/" + t);
        for (int i = resolved.size() - 1; i >= 0; i--) {
          todo.addFirst(resolved.get(i));
        }
        cur = "";
      } else {
        cur = next;
      }
    }
    return cur;
  }

  /** Components of a path with '.' and '..' resolved, '..' at the root staying at the root. */
  private static java.util.List<String> parts(String path) {
    java.util.LinkedList<String> out = new java.util.LinkedList<>();
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!out.isEmpty()) {
          out.removeLast();
        }
        continue;
      }
      out.add(part);
    }
    return out;
  }

  /** Where a link at {@code linkPath} points, normalised in the image; null if above root. */
  private static String resolveLink(String linkPath, String target) {
    try {
      if (target.startsWith("/")) {
        return PathSafety.normaliseDir(target);
      }
      String parent = PathSafety.parent(linkPath);
      return PathSafety.normalise(parent.isEmpty() ? target : parent + "/" + target);
    } catch (UnsafePathException e) {
      return null;
    }
  }
}
