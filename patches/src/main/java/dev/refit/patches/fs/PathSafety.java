package dev.refit.patches.fs;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Normalises relative paths and refuses anything that could escape the root it is meant for.
 * Stateless and thread-safe.
 */
public final class PathSafety {

  private PathSafety() {}

  /**
   * Normalises {@code relPath}: drops empty and {@code .} components and resolves {@code a/../b}
   * inside the path. Refuses absolute paths, NUL bytes and any {@code ..} that climbs above the
   * root. Backslashes are ordinary characters, as on POSIX.
   *
   * @return the normalised path, "" for the root itself
   * @throws UnsafePathException when the path is absolute, contains NUL or escapes the root
   */
  public static String normalise(String relPath) {
    if (relPath == null) {
      throw new UnsafePathException(null, "no path given");
    }
    if (relPath.indexOf('\0') >= 0) {
      throw new UnsafePathException(relPath, "contains a NUL byte");
    }
    if (relPath.startsWith("/")) {
      throw new UnsafePathException(relPath, "absolute paths are not allowed");
    }
    Deque<String> parts = new ArrayDeque<>();
    for (String part : relPath.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (parts.isEmpty()) {
          throw new UnsafePathException(relPath, "'..' climbs above the root");
        }
        parts.removeLast();
        continue;
      }
      parts.addLast(part);
    }
    return String.join("/", parts);
  }

  /**
   * Normalises an image-absolute or relative directory such as {@code /usr/lib/x}: a leading
   * '/' is allowed here because it means the image root.
   */
  public static String normaliseDir(String dir) {
    String d = dir == null ? "" : dir;
    while (d.startsWith("/")) {
      d = d.substring(1);
    }
    return normalise(d);
  }

  /**
   * Joins a normalised directory and a relative path; the relative path must stay inside the
   * directory (so {@code ..} may not leave it).
   */
  public static String resolve(String dir, String relPath) {
    String rel = normalise(relPath);
    if (rel.isEmpty()) {
      throw new UnsafePathException(relPath, "names the directory itself, not a file in it");
    }
    String base = normaliseDir(dir);
    return base.isEmpty() ? rel : base + "/" + rel;
  }

  /** Whether {@code path} is {@code dir} itself or lies below it (both normalised). */
  public static boolean isWithin(String dir, String path) {
    return dir.isEmpty() || path.equals(dir) || path.startsWith(dir + "/");
  }

  /** The parent of a normalised path, "" for top-level names. */
  public static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }
}
