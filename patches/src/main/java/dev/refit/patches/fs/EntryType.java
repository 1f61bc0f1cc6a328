package dev.refit.patches.fs;

/** The kind of a filesystem entry, as a tar header or a directory listing reports it. Immutable. */
public enum EntryType {
  FILE,
  DIRECTORY,
  SYMLINK,
  HARDLINK,
  OTHER
}
