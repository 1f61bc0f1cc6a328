package dev.refit.registry.store.fs;

import dev.refit.error.Causes;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.store.BlobInfo;
import dev.refit.registry.store.BlobStore;
import dev.refit.registry.store.BlobWriter;
import dev.refit.registry.store.ManifestStore;
import dev.refit.registry.store.RepositoryStore;
import dev.refit.registry.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A registry store on a local filesystem: blobs, manifests, tags and repository links under one
 * root (layout drawn in {@link StoreLayout}). Thread-safe. Blocking: call it from worker
 * threads, never from an event loop.
 *
 * <p>One store-wide read/write lock orders writers against the garbage collector only: every
 * operation that makes content visible or referenced (commit, manifest put, link) holds the read
 * lock, so they run concurrently with each other; a GC sweep takes the write lock briefly per
 * blob it removes. Readers take no lock at all, because visible files are immutable and appear
 * by atomic rename.
 */
public final class FsStore implements BlobStore, ManifestStore, RepositoryStore {
  private final StoreLayout layout;
  private final StoreOptions options;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final Lock gcMutex = new ReentrantLock();
  private final FsBlobs blobs;
  private final FsManifests manifests;
  private final FsRepositories repositories;

  private FsStore(Path root, StoreOptions options) {
    this.layout = new StoreLayout(root);
    this.options = options;
    this.blobs = new FsBlobs(layout, lock);
    this.manifests = new FsManifests(layout, blobs, lock);
    this.repositories = new FsRepositories(layout, blobs, lock);
  }

  /** Opens the store at {@code root}, creating the layout if absent. */
  public static FsStore open(Path root, StoreOptions options) {
    FsStore store = new FsStore(root, options);
    for (Path dir :
        List.of(
            store.layout.blobsDir(), store.layout.uploadsDir(), store.layout.repositoriesDir())) {
      try {
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw new StoreException(
            "cannot create store directory " + dir + ": " + Causes.describe(e)
                + "; check the registry root exists and is writable", e);
      }
    }
    return store;
  }

  public Path root() {
    return layout.root();
  }

  /**
   * Where the store at {@code root} keeps the bytes of {@code digest}, for a reader in the same
   * process tree that reads committed blobs in place (they never change once visible).
   */
  public static Path blobFile(Path root, Digest digest) {
    return new StoreLayout(root).blob(digest);
  }

  public StoreOptions options() {
    return options;
  }

  /** Removes uploads whose last write is older than {@link StoreOptions#uploadExpiry()}. */
  public int expireUploads() {
    return expireUploads(false).size();
  }

  // --- BlobStore

  @Override
  public Optional<BlobInfo> stat(Digest digest) {
    return blobs.stat(digest);
  }

  @Override
  public BlobWriter create() {
    return blobs.create();
  }

  @Override
  public Optional<BlobWriter> resume(String uploadId) {
    return blobs.resume(uploadId);
  }

  @Override
  public boolean delete(Digest digest) {
    return blobs.delete(digest);
  }

  // --- ManifestStore

  @Override
  public void put(String repo, RawManifest manifest, String tag) {
    manifests.put(repo, manifest, tag);
  }

  @Override
  public Optional<RawManifest> get(String repo, String reference) {
    return manifests.get(repo, reference);
  }

  @Override
  public boolean delete(String repo, String reference) {
    return manifests.delete(repo, reference);
  }

  @Override
  public List<String> tags(String repo) {
    return manifests.tags(repo);
  }

  @Override
  public List<Descriptor> referrers(String repo, Digest subject) {
    return manifests.referrers(repo, subject);
  }

  // --- RepositoryStore

  @Override
  public void link(String repo, Digest blob) {
    repositories.link(repo, blob);
  }

  @Override
  public boolean isLinked(String repo, Digest blob) {
    return repositories.isLinked(repo, blob);
  }

  @Override
  public boolean unlink(String repo, Digest blob) {
    return repositories.unlink(repo, blob);
  }

  @Override
  public List<String> repositories() {
    return repositories.repositories();
  }

  // --- for GarbageCollector and StoreVerifier (same package)

  List<String> expireUploads(boolean dryRun) {
    return blobs.expireUploads(Instant.now().minus(options.uploadExpiry()), dryRun);
  }

  StoreLayout layout() {
    return layout;
  }

  Lock gcMutex() {
    return gcMutex;
  }

  ReadWriteLock lock() {
    return lock;
  }

  FsRepositories links() {
    return repositories;
  }

  FsBlobs blobs() {
    return blobs;
  }

  FsManifests manifests() {
    return manifests;
  }
}
