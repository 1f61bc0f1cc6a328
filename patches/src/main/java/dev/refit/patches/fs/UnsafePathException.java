package dev.refit.patches.fs;

import dev.refit.patches.engine.PatchException;

/**
 * A path that would escape its root ({@code ..}, absolute, NUL) or go through a symlink.
 * Immutable.
 */
public final class UnsafePathException extends PatchException {

  private final String path;

  public UnsafePathException(String path, String reason) {
    super("unsafe path '" + printable(path) + "': " + reason
        + "; patches and trees may only name files inside their target directory");
    this.path = path;
  }

  /** The offending path as given. */
  public String path() {
    return path;
  }

  private static String printable(String path) {
    return path == null ? "null" : path.replace("\0", "\\0");
  }
}
