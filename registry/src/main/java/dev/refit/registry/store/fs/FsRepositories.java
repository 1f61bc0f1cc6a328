package dev.refit.registry.store.fs;

import dev.refit.registry.oci.Digest;
import dev.refit.registry.store.BlobUnknownException;
import dev.refit.registry.store.RepositoryName;
import dev.refit.registry.store.RepositoryStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReadWriteLock;

/**
 * The per-repository blob links of {@link FsStore} and the repository catalog. Thread-safe.
 * Blocking.
 */
final class FsRepositories implements RepositoryStore {
  /** A referrers marker alone does not make a repository: its manifest revision does. */
  private static final List<String> MARKERS = List.of("_layers", "_manifests");

  private final StoreLayout layout;
  private final FsBlobs blobs;
  private final ReadWriteLock lock;

  FsRepositories(StoreLayout layout, FsBlobs blobs, ReadWriteLock lock) {
    this.layout = layout;
    this.blobs = blobs;
    this.lock = lock;
  }

  /**
   * Links a committed blob into {@code repo}. The existence check and the mtime refresh happen
   * under the read lock, so a GC sweep either ran before (and we fail with BLOB_UNKNOWN) or will
   * see a fresh mtime and keep the blob.
   *
   * @throws BlobUnknownException when the blob is not in the store
   */
  @Override
  public void link(String repo, Digest blob) {
    Path link = layout.layerLink(repo, blob);
    lock.readLock().lock();
    try {
      if (!blobs.touch(blob)) {
        throw new BlobUnknownException(blob, "linking into repository " + repo);
      }
      if (!Files.exists(link)) {
        FsFiles.writeAtomically(link, blob.toString().getBytes(StandardCharsets.UTF_8));
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /** True when the blob is linked into {@code repo} and its bytes are still in the store. */
  @Override
  public boolean isLinked(String repo, Digest blob) {
    return hasLinkFile(repo, blob) && Files.isRegularFile(layout.blob(blob));
  }

  /** The link file alone, whether or not the blob still exists. */
  boolean hasLinkFile(String repo, Digest blob) {
    return Files.isRegularFile(layout.layerLink(repo, blob));
  }

  @Override
  public boolean unlink(String repo, Digest blob) {
    return FsFiles.deleteQuietly(layout.layerLink(repo, blob));
  }

  /** Digests with a link file in {@code repo}, whether or not the blob still exists. */
  List<Digest> linkFiles(String repo) {
    List<Digest> out = new ArrayList<>();
    for (Path alg : FsFiles.list(layout.layersDir(repo))) {
      for (Path link : FsFiles.list(alg)) {
        String s = alg.getFileName() + ":" + link.getFileName();
        if (Digest.isValid(s)) {
          out.add(Digest.parse(s));
        }
      }
    }
    return out;
  }

  /** A repository exists while it holds any layer link, manifest revision or tag. */
  @Override
  public List<String> repositories() {
    List<String> out = new ArrayList<>();
    collect(layout.repositoriesDir(), "", out);
    out.sort(null);
    return out;
  }

  private void collect(Path dir, String prefix, List<String> out) {
    for (Path child : FsFiles.list(dir)) {
      String name = child.getFileName().toString();
      if (name.startsWith("_") || !Files.isDirectory(child)) {
        continue;
      }
      String repo = prefix.isEmpty() ? name : prefix + "/" + name;
      if (RepositoryName.isValid(repo) && hasContent(child)) {
        out.add(repo);
      }
      collect(child, repo, out);
    }
  }

  private static boolean hasContent(Path repoDir) {
    for (String marker : MARKERS) {
      if (containsFile(repoDir.resolve(marker), 4)) {
        return true;
      }
    }
    return false;
  }

  private static boolean containsFile(Path dir, int depth) {
    for (Path p : FsFiles.list(dir)) {
      if (Files.isRegularFile(p) || depth > 0 && containsFile(p, depth - 1)) {
        return true;
      }
    }
    return false;
  }
}
