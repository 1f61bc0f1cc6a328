package dev.refit.registry.store.fs;

import dev.refit.registry.oci.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Lock;

/**
 * Online mark-and-sweep of a {@link FsStore}'s blobs while the registry keeps serving.
 * Thread-safe: runs on one store are serialised (two interleaved runs would reset each other's
 * epoch, see below). Blocking.
 *
 * <p>Mark ({@link GcMark}): from every repository, every manifest revision and every tag target,
 * following image manifests to their config and layers and indexes to their child manifests
 * (recursively). Referrers are revisions of their repository, so they are marked like any
 * manifest. Subjects are not followed: OCI image-spec manifest.md allows a referrer whose subject
 * is absent. Mark fails closed: a manifest it cannot read stops the run before anything is
 * removed, expired uploads included.
 *
 * <p>Sweep: an unmarked blob is removed only when its mtime is older than
 * {@link StoreOptions#gcGrace()}. Why that is safe while pushes continue:
 *
 * <ul>
 *   <li>Every operation that makes a blob visible or referenced (commit, manifest put, link)
 *       holds the store's read lock and records the blobs it touches (mtime and GC epoch).
 *   <li>A run first takes the write lock once to start a new epoch: every operation that began
 *       earlier has finished and is seen by mark; every later one is recorded in the new epoch.
 *       Mark then runs without a lock.
 *   <li>Sweep takes the write lock for each candidate and re-checks it there: a blob touched in
 *       this epoch (a put or link that ran after mark) or younger than the grace is kept. A put
 *       that was waiting for the lock finds the blob gone and, because the blob is recorded as
 *       swept, fails with BLOB_UNKNOWN instead of storing a manifest with a dangling reference.
 *       The epoch, not the mtime, decides "after mark", because file mtimes come from the
 *       kernel's coarse clock and may lag {@link Instant#now()} by milliseconds.
 *   <li>A push whose blobs were uploaded but whose manifest has not arrived yet is covered by the
 *       grace period; it must send its manifest within {@code gcGrace} (default 1h).
 *   <li>In-progress uploads live under uploads/, which the sweep never visits; they expire by
 *       {@link StoreOptions#uploadExpiry()} instead.
 * </ul>
 *
 * As in distribution's garbage collector, a blob merely linked into a repository (_layers) but
 * referenced by no manifest is garbage; its dangling links are removed with it, and so are
 * manifest revisions whose bytes are gone.
 */
public final class GarbageCollector {
  /** Minimum time a swept blob is remembered (see {@link FsBlobs#wasSwept}). */
  private static final Duration TOMBSTONE_TTL = Duration.ofMinutes(10);

  private final FsStore store;

  public GarbageCollector(FsStore store) {
    this.store = store;
  }

  /** Marks and sweeps; when {@code dryRun} only reports what it would remove. */
  public GcReport run(boolean dryRun) {
    Lock exclusive = store.gcMutex();
    exclusive.lock();
    try {
      return runExclusively(dryRun);
    } finally {
      exclusive.unlock();
    }
  }

  private GcReport runExclusively(boolean dryRun) {
    Instant start = Instant.now();
    Instant cutoff = start.minus(store.options().gcGrace());
    // Tombstones outlive a short grace: a PUT that checked its blobs just before a sweep may
    // take a while to reach the store, and must still fail rather than dangle.
    store.blobs().forgetSweptBefore(start.minus(max(store.options().gcGrace(), TOMBSTONE_TTL)));
    Lock lock = store.lock().writeLock();
    long epoch;
    lock.lock();
    try {
      epoch = store.blobs().beginGcEpoch();
    } finally {
      lock.unlock();
    }
    // Fails closed (ManifestUnreadableException) before anything below removes a file.
    GcMark mark = GcMark.of(store);
    List<String> expired = store.expireUploads(dryRun);
    List<Digest> removed = new ArrayList<>();
    long freed = 0;
    for (Path file : blobFiles()) {
      Optional<Digest> digest = digestOf(file);
      if (digest.isEmpty() || mark.marked().contains(digest.get())) {
        continue;
      }
      lock.lock();
      try {
        long size = sizeIfOlder(file, cutoff);
        if (size < 0 || store.blobs().touchedSince(digest.get(), epoch)) {
          continue;
        }
        if (!dryRun) {
          Files.deleteIfExists(file);
          store.blobs().markSwept(digest.get());
        }
        removed.add(digest.get());
        freed += size;
      } catch (IOException e) {
        // Unreadable or concurrently removed: leave it for the next run.
      } finally {
        lock.unlock();
      }
    }
    List<String> unlinked = new ArrayList<>();
    if (!dryRun) {
      unlinkDangling(mark.dangling(), unlinked);
    }
    removed.sort(null);
    return new GcReport(removed, freed, dryRun, expired, unlinked);
  }

  /** blobs/&lt;alg&gt;/&lt;xx&gt;/&lt;hex&gt; files, as listed now. */
  List<Path> blobFiles() {
    List<Path> out = new ArrayList<>();
    for (Path alg : FsFiles.list(store.layout().blobsDir())) {
      for (Path prefix : FsFiles.list(alg)) {
        for (Path f : FsFiles.list(prefix)) {
          if (Files.isRegularFile(f)) {
            out.add(f);
          }
        }
      }
    }
    return out;
  }

  static Optional<Digest> digestOf(Path blobFile) {
    String s = blobFile.getParent().getParent().getFileName() + ":" + blobFile.getFileName();
    return Digest.isValid(s) ? Optional.of(Digest.parse(s)) : Optional.empty();
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  /** The file's size if its mtime is before {@code cutoff}, else -1 (young or gone). */
  private static long sizeIfOlder(Path file, Instant cutoff) throws IOException {
    try {
      if (!Files.getLastModifiedTime(file).toInstant().isBefore(cutoff)) {
        return -1;
      }
      return Files.size(file);
    } catch (NoSuchFileException e) {
      return -1;
    }
  }

  /**
   * Removes links whose blob is gone (swept now, or deleted earlier by an operator): _layers
   * links, and manifest revisions found without bytes by mark (with their tags and referrers
   * markers). Each is re-checked under the write lock: a push of the same content may have
   * restored the blob meanwhile.
   */
  private void unlinkDangling(List<GcMark.Revision> revisions, List<String> unlinked) {
    Lock lock = store.lock().writeLock();
    for (String repo : store.repositories()) {
      for (Digest d : store.links().linkFiles(repo)) {
        if (store.stat(d).isPresent()) {
          continue;
        }
        lock.lock();
        try {
          if (store.stat(d).isEmpty() && store.unlink(repo, d)) {
            unlinked.add(repo + " blob link " + d);
          }
        } finally {
          lock.unlock();
        }
      }
    }
    for (GcMark.Revision r : revisions) {
      lock.lock();
      try {
        if (store.stat(r.manifest()).isEmpty()
            && store.manifests().delete(r.repo(), r.manifest().toString())) {
          unlinked.add(r.repo() + " manifest link " + r.manifest());
        }
      } finally {
        lock.unlock();
      }
    }
  }
}
