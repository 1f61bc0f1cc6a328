package dev.refit.registry.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * refit's one crash-safe file write: bytes go to a hidden temporary file in the target's
 * directory, which {@link #commit} fsyncs, renames into place and makes durable by fsyncing the
 * directory, so a reader (or a restart after a power cut) sees the old file or the whole new one.
 * Closing without a commit deletes the temporary file. One writer at a time per instance; blocking.
 *
 * <p>Crash safety rests on POSIX rename(2) being atomic within one filesystem; the temporary file
 * sits beside the target, so the rename never crosses one.
 *
 * <pre>{@code
 * try (AtomicFile file = AtomicFile.of(target)) {
 *   try (OutputStream out = file.output()) { ... }
 *   file.commit();
 * }
 * }</pre>
 */
public final class AtomicFile implements AutoCloseable {
  private static final int BUFFER = 64 * 1024;

  private final Path temp;
  /** Where {@link #commit()} renames to; null for a file made with {@link #in}. */
  private final Path target;
  /** Committed or discarded: the temporary file is no longer ours. */
  private boolean done;

  private AtomicFile(Path dir, String name, Path target) throws IOException {
    Files.createDirectories(dir);
    this.temp = Files.createFile(dir.resolve(name));
    this.target = target;
  }

  /** A new temporary file beside {@code target} (its directory is created when missing). */
  public static AtomicFile of(Path target) throws IOException {
    Path absolute = target.toAbsolutePath().normalize();
    return new AtomicFile(absolute.getParent(),
        "." + target.getFileName() + "." + UUID.randomUUID() + ".tmp", absolute);
  }

  /** A new temporary file in {@code dir}, for content whose name is known only once written. */
  public static AtomicFile in(Path dir) throws IOException {
    return new AtomicFile(dir.toAbsolutePath().normalize(), ".refit-" + UUID.randomUUID() + ".tmp", null);
  }

  /** Writes {@code bytes} to {@code target} and commits: the whole file or the old one. */
  public static void write(Path target, byte[] bytes) throws IOException {
    try (AtomicFile file = of(target)) {
      Files.write(file.temp(), bytes);
      file.commit();
    }
  }

  /**
   * Renames {@code source} onto {@code target} atomically, replacing it, and fsyncs the target's
   * directory; both must be on one filesystem, else this fails rather than copy.
   */
  public static void move(Path source, Path target) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    try {
      Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the filesystem under " + dir + " cannot rename " + source
          + " atomically; keep refit's files on a local POSIX filesystem", e);
    }
    fsyncDirectory(dir);
  }

  /** Flushes a file's bytes to the device (fsync(2)), e.g. before renaming it into place. */
  public static void fsync(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  /**
   * Makes a rename in {@code dir} durable (fsync(2) on the directory). Some platforms cannot open
   * a directory; the rename itself is atomic anyway, so that is not an error.
   */
  private static void fsyncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // best effort by design, see above
    }
  }

  /**
   * The temporary file, for a caller that writes it by path or sets its mtime or permissions
   * before the commit, so the target appears with them.
   */
  public Path temp() {
    return temp;
  }

  /**
   * A buffered stream over the temporary file from its start; the caller closes it before
   * committing.
   */
  public OutputStream output() throws IOException {
    ensureOpen();
    return new BufferedOutputStream(
        Files.newOutputStream(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING), BUFFER);
  }

  /** Fsyncs the temporary file and renames it over {@code to}, which must be in its directory. */
  public void commit(Path to) throws IOException {
    ensureOpen();
    if (!temp.getParent().equals(to.toAbsolutePath().normalize().getParent())) {
      throw new IllegalArgumentException(to + " is not in " + temp.getParent() + ", where the temporary file is");
    }
    fsync(temp);
    move(temp, to);
    done = true;
  }

  /** {@link #commit(Path)} onto the target given to {@link #of}. */
  public void commit() throws IOException {
    if (target == null) {
      throw new IllegalStateException("made with AtomicFile.in(dir): name the target to commit");
    }
    commit(target);
  }

  /** Deletes the temporary file unless it was committed; safe to call twice. */
  @Override
  public void close() {
    if (!done) {
      done = true;
      try {
        Files.deleteIfExists(temp);
      } catch (IOException e) {
        // a stray hidden temp file is harmless; the caller's own failure is what matters
      }
    }
  }

  private void ensureOpen() {
    if (done) {
      throw new IllegalStateException("the temporary file " + temp + " is already committed or discarded");
    }
  }
}
