package dev.refit.pipeline.fetch;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** fsync helpers for atomic file replacement. Blocking. */
final class FsSync {
  private FsSync() {}

  /**
   * Flushes a directory so a rename inside it survives a crash (POSIX: the rename is durable once
   * the directory is synced). Some platforms cannot open directories; that is not an error.
   */
  static void directory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException ignored) {
      // best effort by design
    }
  }
}
