package dev.refit.pipeline.rebuild;

import java.nio.file.Path;

/**
 * One explicit entry of a delta layer, with all 12 mode bits (POSIX ustar "mode"). Immutable.
 *
 * @param path absolute path in the image, e.g. {@code /var/lib/nova}
 * @param source the file whose bytes the entry holds; null for a directory or an empty file (a
 *     whiteout)
 * @param directory whether the entry is a directory
 * @param mode permission bits including setuid, setgid and sticky
 * @param uid numeric owner
 * @param gid numeric group
 */
public record LayerEntry(String path, Path source, boolean directory, int mode, int uid, int gid) {

  /** A directory entry. */
  static LayerEntry directory(String path, int mode, int uid, int gid) {
    return new LayerEntry(path, null, true, mode, uid, gid);
  }
}
