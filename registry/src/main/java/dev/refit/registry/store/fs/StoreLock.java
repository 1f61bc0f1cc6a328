package dev.refit.registry.store.fs;

import dev.refit.error.Causes;
import dev.refit.registry.store.StoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive, advisory lock on a store root, held by whoever writes to it: a serving registry
 * or an offline {@code registry gc}. Garbage collection is only safe against writers it can see
 * (its locks are in-process), so two processes must never write one store at once. The OS
 * releases the lock when the holder dies, even by {@code kill -9}. Thread-safe.
 */
public final class StoreLock implements AutoCloseable {
  static final String FILE = ".lock";

  private final FileChannel channel;
  private final FileLock lock;

  private StoreLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock on {@code root} (creating the directory if needed), or fails at once naming
   * the process that holds it.
   *
   * @throws StoreInUseException when another process (or another server in this JVM) holds it
   */
  public static StoreLock acquire(Path root) {
    Path file = root.resolve(FILE);
    FileChannel channel = null;
    try {
      Files.createDirectories(root);
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        String holder = Files.readString(file, StandardCharsets.UTF_8).trim();
        channel.close();
        throw new StoreInUseException(root, holder.isEmpty() ? "another process" : "process " + holder);
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(
          Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)), 0);
      return new StoreLock(channel, lock);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new StoreException("cannot lock the store at " + root + ": " + Causes.describe(e), e);
    }
  }

  @Override
  public void close() {
    try {
      if (lock.isValid()) {
        lock.release();
      }
    } catch (IOException e) {
      // Closing the channel below releases the lock anyway.
    }
    closeQuietly(channel);
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // Nothing more to release.
      }
    }
  }

  /** The store is being written by someone else. */
  public static final class StoreInUseException extends StoreException {
    public StoreInUseException(Path root, String holder) {
      super("the store at " + root + " is in use by " + holder
          + " (a running 'refit registry serve'?)",
          "stop it, or point refit at that registry with --registry http://HOST:PORT", null);
    }
  }
}
