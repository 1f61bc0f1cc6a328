package dev.refit.pipeline.rewrite;

import dev.refit.registry.io.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;

/**
 * Replaces a file's content atomically through {@link AtomicFile}, keeping the old content in
 * {@code <file>.bak} and the file's permissions. On any failure the original is untouched.
 * Blocking; thread-safe for different files.
 */
final class AtomicFileWriter {

  private AtomicFileWriter() {
  }

  /**
   * Writes {@code bytes} to {@code link}; returns the {@code .bak} path. A symbolic link is
   * followed, so the link stays and its target gets the new content (and the .bak beside it).
   */
  static Path replace(Path link, byte[] bytes) {
    Path file;
    try {
      file = link.toRealPath();
    } catch (IOException e) {
      throw new RewriteException(link, "cannot resolve the file to write: " + e, e);
    }
    Path backup = file.resolveSibling(file.getFileName() + ".bak");
    try (AtomicFile temp = AtomicFile.of(file)) {
      Files.write(temp.temp(), bytes);
      copyPermissions(file, temp.temp());
      Files.copy(file, backup, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
      AtomicFile.fsync(backup);
      temp.commit();
      return backup;
    } catch (IOException | RuntimeException e) {
      throw new RewriteException(file, "could not write the rewritten file: " + e
          + "; check that its directory is writable and has free space", e);
    }
  }

  private static void copyPermissions(Path from, Path to) throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(from, PosixFileAttributeView.class);
    if (view != null) {
      Files.setPosixFilePermissions(to, view.readAttributes().permissions());
    }
  }
}
