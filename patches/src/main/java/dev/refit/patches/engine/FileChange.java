package dev.refit.patches.engine;

import java.util.List;

/**
 * One file section of a patch, in patch order: what happens to which path (after -p stripping),
 * git's mode bits if the header gave them, and the hunks. Immutable and thread-safe.
 *
 * @param kind what the section does
 * @param oldPath the path before (null for ADD)
 * @param newPath the path after (null for DELETE)
 * @param oldMode git mode of the old file, e.g. {@code 0100644}; null when not stated
 * @param newMode git mode of the new file, e.g. {@code 0100755}; null when not stated
 * @param hunks the hunks in order
 */
public record FileChange(Kind kind, String oldPath, String newPath, Integer oldMode,
    Integer newMode, List<Hunk> hunks) {

  /** What a file section does. */
  public enum Kind { MODIFY, ADD, DELETE, RENAME, COPY }

  /** Git's mode for symbolic links; refit refuses to write links. */
  static final int GIT_SYMLINK = 0120000;

  public FileChange {
    hunks = List.copyOf(hunks);
  }

  /** The path this section is known by in messages. */
  public String displayPath() {
    return newPath != null ? newPath : oldPath;
  }

  /** Whether the git header changes the executable bit. */
  public boolean changesMode() {
    return oldMode != null && newMode != null && !oldMode.equals(newMode);
  }
}
