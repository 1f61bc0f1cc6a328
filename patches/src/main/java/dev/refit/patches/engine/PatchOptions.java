package dev.refit.patches.engine;

import java.util.List;

/**
 * How patches are read and applied. Immutable and thread-safe.
 *
 * @param stripLevel leading path components to strip, as {@code patch -pN} (default 1)
 * @param fuzz context lines that may be ignored at each hunk edge; 0 is strict (default)
 * @param dropPaths diff sections whose path contains one of these are dropped, as Apex does
 *     (default {@code releasenotes/}, {@code tests/})
 * @param maxPatchBytes largest patch accepted (default 64 MiB)
 */
public record PatchOptions(int stripLevel, int fuzz, List<String> dropPaths, long maxPatchBytes) {

  public static final long DEFAULT_MAX_PATCH_BYTES = 64L * 1024 * 1024;
  public static final List<String> DEFAULT_DROP_PATHS = List.of("releasenotes/", "tests/");

  public PatchOptions {
    if (stripLevel < 0) {
      throw new IllegalArgumentException("strip level must be >= 0, got " + stripLevel);
    }
    if (fuzz < 0) {
      throw new IllegalArgumentException("fuzz must be >= 0, got " + fuzz);
    }
    if (maxPatchBytes <= 0) {
      throw new IllegalArgumentException("maxPatchBytes must be > 0, got " + maxPatchBytes);
    }
    dropPaths = List.copyOf(dropPaths);
  }

  /** -p1, strict, drop releasenotes/ and tests/, 64 MiB. */
  public static PatchOptions defaults() {
    return new PatchOptions(1, 0, DEFAULT_DROP_PATHS, DEFAULT_MAX_PATCH_BYTES);
  }

  public PatchOptions withStripLevel(int level) {
    return new PatchOptions(level, fuzz, dropPaths, maxPatchBytes);
  }

  public PatchOptions withFuzz(int lines) {
    return new PatchOptions(stripLevel, lines, dropPaths, maxPatchBytes);
  }

  public PatchOptions withDropPaths(List<String> paths) {
    return new PatchOptions(stripLevel, fuzz, paths, maxPatchBytes);
  }

  public PatchOptions withMaxPatchBytes(long bytes) {
    return new PatchOptions(stripLevel, fuzz, dropPaths, bytes);
  }

  /** Whether {@code path} falls under a drop rule. */
  public boolean drops(String path) {
    for (String d : dropPaths) {
      if (path.startsWith(d) || path.contains("/" + d)) {
        return true;
      }
    }
    return false;
  }
}
