package dev.refit.patches.fs;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * A read-only view of a root filesystem (an image, or a local directory), addressed by normalised
 * relative paths. Implementations state their own threading rule; callers treat it as blocking.
 */
public interface FileSource {

  /**
   * The entry at {@code path} without following symlinks, not even in parent components; empty
   * when absent or whited out.
   */
  Optional<FileEntry> entry(String path);

  /** Streams the content of a FILE entry. The caller closes the stream. */
  InputStream open(String path) throws IOException;

  /** The direct children of a directory, sorted by name; empty when absent or not a directory. */
  List<FileEntry> list(String dirPath);
}
