package dev.refit.pipeline.diff;

import dev.refit.patches.fs.EntryType;

/** The names a diff gives entry types, as docs/diff-json.md lists them. Stateless. */
final class EntryKinds {
  private EntryKinds() {}

  static String name(EntryType type) {
    return switch (type) {
      case FILE -> "file";
      case DIRECTORY -> "dir";
      case SYMLINK -> "symlink";
      case HARDLINK -> "hardlink";
      case CHAR_DEVICE -> "char";
      case BLOCK_DEVICE -> "block";
      case FIFO -> "fifo";
      // Tar's contiguous files and the like; no image builder writes them.
      case OTHER -> "file";
    };
  }
}
