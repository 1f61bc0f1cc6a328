package dev.refit.pipeline.prepare;

import dev.refit.registry.io.FileTrees;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One prepare run's scratch directory under the cache ({@code prepare-*}: pulled layers, patched
 * trees, build contexts), owned through an OS file lock on its {@code run.lock}. The OS drops
 * that lock when the process dies, even by {@code kill -9}, so a later run can tell a directory a
 * killed run left behind (lock free: removed) from a live run's (lock held: kept). Blocking; not
 * thread-safe.
 */
final class RunDir implements AutoCloseable {
  static final String PREFIX = "prepare-";
  static final String LOCK_FILE = "run.lock";
  /** A directory without a lock file may be a run between mkdir and lock; only an old one is stale. */
  private static final Duration UNLOCKED_GRACE = Duration.ofMinutes(1);

  private final Path dir;
  private final FileChannel channel;

  private RunDir(Path dir, FileChannel channel) {
    this.dir = dir;
    this.channel = channel;
  }

  /** Removes stale run directories, then creates and locks a new one. Blocking. */
  static RunDir create(Path cacheDir) throws IOException {
    Files.createDirectories(cacheDir);
    removeStale(cacheDir);
    Path dir = Files.createTempDirectory(cacheDir, PREFIX);
    FileChannel channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
    if (channel.tryLock() == null) {
      channel.close();
      throw new IOException("cannot lock the new run directory " + dir);
    }
    return new RunDir(dir, channel);
  }

  /** Deletes every {@code prepare-*} directory no live process owns; returns those removed. */
  static List<Path> removeStale(Path cacheDir) throws IOException {
    List<Path> removed = new ArrayList<>();
    List<Path> candidates;
    try (var list = Files.list(cacheDir)) {
      candidates = list.filter(p -> p.getFileName().toString().startsWith(PREFIX)
          && Files.isDirectory(p)).toList();
    }
    for (Path candidate : candidates) {
      if (removeIfStale(candidate)) {
        removed.add(candidate);
      }
    }
    return removed;
  }

  private static boolean removeIfStale(Path candidate) throws IOException {
    Path lockFile = candidate.resolve(LOCK_FILE);
    if (!Files.exists(lockFile)) {
      Instant modified = Files.getLastModifiedTime(candidate).toInstant();
      if (modified.isAfter(Instant.now().minus(UNLOCKED_GRACE))) {
        return false;
      }
      deleteTree(candidate);
      return true;
    }
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        return false; // held by a run in this very JVM
      }
      if (lock == null) {
        return false; // held by a live process
      }
      deleteTree(candidate);
      return true;
    } catch (java.nio.file.NoSuchFileException e) {
      return false; // its owner finished and removed it meanwhile
    }
  }

  Path path() {
    return dir;
  }

  /** Releases the lock and deletes the directory; a leftover is harmless (the next run removes it). */
  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // Closing releases the lock; the process exit would too.
    }
    deleteTree(dir);
  }

  private static void deleteTree(Path root) {
    try {
      FileTrees.delete(root);
    } catch (IOException e) {
      // Best effort: whatever is left is removed by the next run.
    }
  }
}
