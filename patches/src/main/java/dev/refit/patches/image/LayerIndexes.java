package dev.refit.patches.image;

import dev.refit.registry.io.AtomicFile;
import dev.refit.registry.oci.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where layer indexes outlive the run: one file per layer digest under
 * {@code <cache>/layer-index/v2/<alg>/<hex>}. A file that is truncated, altered or of another
 * version is reported, deleted and rebuilt by the caller; deleting the whole directory is always
 * safe. Files are written whole or not at all ({@link AtomicFile}), so concurrent runs that index
 * the same layer each leave a valid file. Thread-safe.
 */
public final class LayerIndexes {
  private static final System.Logger LOG = System.getLogger(LayerIndexes.class.getName());

  private final Path dir;
  private final AtomicInteger corrupt = new AtomicInteger();

  private LayerIndexes(Path dir) {
    this.dir = dir;
  }

  /** The indexes of the cache directory {@code cacheDir}. */
  public static LayerIndexes in(Path cacheDir) {
    return at(cacheDir.resolve("layer-index"));
  }

  /** Indexes kept under {@code root} (a versioned subfolder is added). */
  public static LayerIndexes at(Path root) {
    return new LayerIndexes(root.resolve("v" + LayerIndexFile.VERSION));
  }

  Path file(Digest digest) {
    return dir.resolve(digest.algorithm().id()).resolve(digest.hex());
  }

  /** How many index files were found unusable (and deleted) since this was made. */
  public int corruptFound() {
    return corrupt.get();
  }

  /** The stored index, or empty when there is none or it is unusable. */
  Optional<LayerIndex> load(Digest digest) throws IOException {
    Path file = file(digest);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    try {
      return Optional.of(LayerIndexFile.decode(bytes, digest));
    } catch (LayerIndexFile.CorruptException e) {
      corrupt.incrementAndGet();
      LOG.log(System.Logger.Level.WARNING, "the layer index of " + digest + " is unusable ("
          + e.getMessage() + "); rebuilding it");
      Files.deleteIfExists(file);
      return Optional.empty();
    }
  }

  void save(LayerIndex index) throws IOException {
    AtomicFile.write(file(index.digest()), LayerIndexFile.encode(index));
  }
}
