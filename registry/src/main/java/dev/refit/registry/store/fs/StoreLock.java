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
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * An exclusive, advisory lock on a store root, held by whoever writes to it: a serving registry
 * or an offline {@code registry gc}. Garbage collection is only safe against writers it can see
 * (its locks are in-process), so two processes must never write one store at once. The OS
 * releases the lock when the holder dies, even by {@code kill -9}. Thread-safe.
 *
 * <p>The lock file says who holds it: the first line is the holder's pid; a serving registry
 * adds {@code serve=URL} (where it answers {@code POST /refit/v1/gc}) and {@code auth=true|false},
 * so that {@code registry gc} can ask it to collect instead of refusing. Each holder rewrites the
 * file when it takes the lock, so what a reader finds while the lock is held is the holder's.
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
        String holder = firstLine(Files.readString(file, StandardCharsets.UTF_8));
        channel.close();
        throw new StoreInUseException(root, holder.isEmpty() ? "another process" : "process " + holder);
      }
      StoreLock held = new StoreLock(channel, lock);
      held.record("");
      return held;
    } catch (IOException e) {
      closeQuietly(channel);
      throw new StoreException("cannot lock the store at " + root + ": " + Causes.describe(e), e);
    }
  }

  /**
   * Records in the lock file that this holder serves the store at {@code baseUrl} (e.g.
   * {@code http://127.0.0.1:8787}), with or without htpasswd auth. Blocking.
   */
  public void advertise(String baseUrl, boolean auth) {
    try {
      record("serve=" + baseUrl + "\nauth=" + auth + "\n");
    } catch (IOException e) {
      throw new StoreException("cannot write the store's lock file: " + Causes.describe(e), e);
    }
  }

  private synchronized void record(String extra) throws IOException {
    byte[] bytes = (ProcessHandle.current().pid() + "\n" + extra).getBytes(StandardCharsets.UTF_8);
    channel.truncate(0);
    channel.write(ByteBuffer.wrap(bytes), 0);
  }

  /**
   * The serving registry that holds the lock on {@code root}, as recorded by {@link #advertise};
   * empty when the holder (or the last one) did not advertise. Only meaningful while the lock is
   * held by someone else: a crashed server leaves a stale record until the next holder. Blocking.
   */
  public static Optional<Served> served(Path root) {
    String text;
    try {
      text = Files.readString(root.resolve(FILE), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StoreException("cannot read the store's lock file: " + Causes.describe(e), e);
    }
    String url = null;
    boolean auth = false;
    for (String line : text.split("\n")) {
      if (line.startsWith("serve=")) {
        url = line.substring("serve=".length()).trim();
      } else if (line.startsWith("auth=")) {
        auth = Boolean.parseBoolean(line.substring("auth=".length()).trim());
      }
    }
    return url == null || url.isEmpty() ? Optional.empty()
        : Optional.of(new Served(firstLine(text), url, auth));
  }

  private static String firstLine(String text) {
    String trimmed = text.strip();
    int nl = trimmed.indexOf('\n');
    return nl < 0 ? trimmed : trimmed.substring(0, nl).strip();
  }

  /**
   * A serving registry's record in the lock file. Immutable.
   *
   * @param pid the server's process id, as text
   * @param baseUrl where it listens, e.g. {@code http://127.0.0.1:8787}
   * @param auth whether it requires htpasswd credentials
   */
  public record Served(String pid, String baseUrl, boolean auth) {}

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
