package dev.refit.patches.fs;

import java.util.Objects;

/**
 * One entry of a root filesystem view: its normalised relative path, kind, permission bits and
 * owner. Immutable and thread-safe.
 *
 * @param path relative path, no leading '/', normalised by {@link PathSafety#normalise(String)}
 * @param type the kind of entry
 * @param mode permission bits including setuid/setgid/sticky (e.g. {@code 0644}), no type bits
 * @param uid owner user id
 * @param gid owner group id
 * @param size content size in bytes (0 for anything but FILE)
 * @param linkTarget the link target for SYMLINK and HARDLINK entries, null otherwise
 */
public record FileEntry(
    String path, EntryType type, int mode, int uid, int gid, long size, String linkTarget) {

  public FileEntry {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(type, "type");
    if ((type == EntryType.SYMLINK || type == EntryType.HARDLINK) && linkTarget == null) {
      throw new IllegalArgumentException(type + " entry " + path + " needs a link target");
    }
    mode &= 07777;
  }

  /** A regular file entry. */
  public static FileEntry file(String path, int mode, int uid, int gid, long size) {
    return new FileEntry(path, EntryType.FILE, mode, uid, gid, size, null);
  }

  /** A directory entry. */
  public static FileEntry directory(String path, int mode, int uid, int gid) {
    return new FileEntry(path, EntryType.DIRECTORY, mode, uid, gid, 0, null);
  }

  /** A symbolic link entry. */
  public static FileEntry symlink(String path, String target, int uid, int gid) {
    return new FileEntry(path, EntryType.SYMLINK, 0777, uid, gid, 0, target);
  }

  public boolean isFile() {
    return type == EntryType.FILE;
  }

  public boolean isDirectory() {
    return type == EntryType.DIRECTORY;
  }

  /** The last path component. */
  public String name() {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? path : path.substring(slash + 1);
  }
}
