package dev.refit.patches.fs;

/** The kind of a filesystem entry, as a tar header or a directory listing reports it. Immutable. */
public enum EntryType {
  FILE,
  DIRECTORY,
  SYMLINK,
  HARDLINK,
  /** Anything else a tree or tar can hold (tar types refit does not name). */
  OTHER,
  CHAR_DEVICE,
  BLOCK_DEVICE,
  FIFO
}
