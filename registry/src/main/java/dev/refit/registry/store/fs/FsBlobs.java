package dev.refit.registry.store.fs;

import dev.refit.error.Causes;
import dev.refit.registry.io.AtomicFile;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.store.BlobInfo;
import dev.refit.registry.store.BlobStore;
import dev.refit.registry.store.BlobWriter;
import dev.refit.registry.store.StorageFullException;
import dev.refit.registry.store.StoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;

/**
 * The content-addressed blob half of {@link FsStore}: uploads, commit, stat, delete. Thread-safe.
 * Blocking.
 *
 * <p>Live writers are kept in a map so that an upload's hash state survives across the PATCH
 * requests of a chunked upload (distribution-spec "Pushing a blob in chunks"); after a restart a
 * writer is rebuilt from its data file. Every operation that makes a blob visible or reusable
 * holds the store's read lock and refreshes the blob's mtime, which is what the garbage
 * collector's grace period and write lock rely on (see {@link GarbageCollector}).
 */
final class FsBlobs implements BlobStore {
  private final StoreLayout layout;
  private final ReadWriteLock lock;
  private final ConcurrentMap<String, FsBlobWriter> live = new ConcurrentHashMap<>();
  /** Blobs the GC removed recently, so a racing manifest PUT can fail instead of dangling. */
  private final ConcurrentMap<Digest, Instant> swept = new ConcurrentHashMap<>();
  /**
   * GC epoch in which each blob was last stored or referenced. File mtimes come from the
   * kernel's coarse clock (a few ms behind {@link Instant#now()}), so "touched after the run
   * started" is decided by this counter, not by comparing timestamps.
   */
  private final AtomicLong epoch = new AtomicLong();
  private final ConcurrentMap<Digest, Long> touched = new ConcurrentHashMap<>();

  FsBlobs(StoreLayout layout, ReadWriteLock lock) {
    this.layout = layout;
    this.lock = lock;
  }

  @Override
  public Optional<BlobInfo> stat(Digest digest) {
    Path p = layout.blob(digest);
    try {
      return Optional.of(new BlobInfo(digest, Files.size(p), p));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StoreException("cannot stat blob " + digest + ": " + Causes.describe(e), e);
    }
  }

  @Override
  public BlobWriter create() {
    String id = UUID.randomUUID().toString();
    Path dir = layout.upload(id);
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("startedat"), Instant.now().toString(), StandardCharsets.UTF_8);
      Files.createFile(dir.resolve("data"));
    } catch (IOException e) {
      FsFiles.deleteQuietlyTree(dir); // no half-made upload folder
      throw StorageFullException.of("cannot start upload under " + dir, e);
    }
    FsBlobWriter w = new FsBlobWriter(id, dir, this);
    live.put(id, w);
    return w;
  }

  @Override
  public Optional<BlobWriter> resume(String uploadId) {
    if (!StoreLayout.isUploadId(uploadId)) {
      return Optional.empty();
    }
    Path dir = layout.upload(uploadId);
    FsBlobWriter w =
        live.computeIfAbsent(
            uploadId,
            id -> Files.isRegularFile(dir.resolve("data")) ? new FsBlobWriter(id, dir, this) : null);
    return w == null || w.isFinished() ? Optional.empty() : Optional.of(w);
  }

  @Override
  public boolean delete(Digest digest) {
    lock.writeLock().lock();
    try {
      return FsFiles.deleteQuietly(layout.blob(digest));
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Moves a verified file into its content-addressed place. If the blob already exists (another
   * upload of the same content won the race) the temp is discarded: the bytes are identical by
   * construction, so either copy is correct.
   */
  BlobInfo ingest(Path verified, Digest digest, long size) throws IOException {
    Path target = layout.blob(digest);
    lock.readLock().lock();
    try {
      if (FsFiles.touch(target)) {
        FsFiles.deleteQuietly(verified);
      } else {
        AtomicFile.move(verified, target);
      }
      swept.remove(digest);
      touched.put(digest, epoch.get());
      return new BlobInfo(digest, size, target);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Stores small content held in memory (a manifest) through the same crash-safe path. */
  BlobInfo put(byte[] bytes, Digest digest) {
    if (touch(digest)) {
      return new BlobInfo(digest, bytes.length, layout.blob(digest));
    }
    Path dir = layout.upload(UUID.randomUUID().toString());
    Path temp = dir.resolve("data");
    try {
      Files.createDirectories(dir);
      Files.write(temp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      AtomicFile.fsync(temp);
      return ingest(temp, digest, bytes.length);
    } catch (IOException e) {
      throw StorageFullException.of("cannot store blob " + digest, e);
    } finally {
      FsFiles.deleteTree(dir);
    }
  }

  /**
   * Refreshes a blob's mtime and GC epoch (see class comment); false when it does not exist.
   * Callers hold the store's read lock.
   */
  boolean touch(Digest digest) {
    if (!FsFiles.touch(layout.blob(digest))) {
      return false;
    }
    touched.put(digest, epoch.get());
    return true;
  }

  /**
   * Starts a GC epoch; call under the write lock, so every earlier store operation has finished
   * (and is visible to the mark phase) and every later one is recorded with the returned epoch.
   */
  long beginGcEpoch() {
    long e = epoch.incrementAndGet();
    touched.values().removeIf(v -> v < e);
    return e;
  }

  /** True when the blob was stored or referenced during GC epoch {@code e} or later. */
  boolean touchedSince(Digest digest, long e) {
    Long t = touched.get(digest);
    return t != null && t >= e;
  }

  /** Called by the GC under the write lock for each blob it removes. */
  void markSwept(Digest digest) {
    swept.put(digest, Instant.now());
  }

  /** True when the GC removed this blob since it was last stored. */
  boolean wasSwept(Digest digest) {
    return swept.containsKey(digest);
  }

  /** Forgets sweeps older than {@code cutoff}; a PUT cannot still be racing with those. */
  void forgetSweptBefore(Instant cutoff) {
    swept.values().removeIf(t -> t.isBefore(cutoff));
  }

  void forget(String uploadId) {
    live.remove(uploadId);
  }

  /**
   * Removes uploads whose data was last written before {@code cutoff}, or only lists them when
   * {@code dryRun}. Returns their ids.
   */
  List<String> expireUploads(Instant cutoff, boolean dryRun) {
    List<String> expired = new ArrayList<>();
    for (Path dir : FsFiles.list(layout.uploadsDir())) {
      String id = dir.getFileName().toString();
      if (!StoreLayout.isUploadId(id) || !lastWrite(dir).isBefore(cutoff)) {
        continue;
      }
      expired.add(id);
      if (!dryRun) {
        FsBlobWriter w = live.remove(id);
        if (w != null) {
          w.cancel();
        }
        FsFiles.deleteTree(dir);
      }
    }
    expired.sort(null);
    return expired;
  }

  private static Instant lastWrite(Path uploadDir) {
    Path data = uploadDir.resolve("data");
    try {
      Path p = Files.exists(data) ? data : uploadDir;
      return Files.getLastModifiedTime(p).toInstant();
    } catch (IOException e) {
      return Instant.EPOCH;
    }
  }
}
