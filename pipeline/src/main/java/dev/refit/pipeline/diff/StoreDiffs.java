package dev.refit.pipeline.diff;

import dev.refit.patches.image.LayerCache;
import dev.refit.registry.store.fs.FsStore;

/**
 * Diffs two images held in the embedded registry's store, reading manifests, configs and layer
 * blobs in place (as {@code local/LocalImageReads} does for plan and prepare). What the web UI
 * and {@code refit verify} call. Blocking: run it on the {@link #POOL} worker pool, never on an
 * event loop, and keep a reference to that {@code WorkerExecutor} until the call ends (Vert.x
 * closes an unreferenced one, interrupting the diff). Stateless; thread-safe when {@code cache}
 * is shared.
 */
public final class StoreDiffs {
  /** The name of the worker pool diffs run on. */
  public static final String POOL = "refit-diff";

  private StoreDiffs() {}

  /**
   * {@code repoA:refA} against {@code repoB:refB}.
   *
   * <pre>{@code
   * ImageDiff diff(FsStore store, LayerCache cache, String repoA, String refA,
   *     String repoB, String refB, DiffOptions options)
   * }</pre>
   *
   * @param cache layer indexes and extracted contents; indexes kept in it outlive the call
   *     (e.g. {@code new LayerCache(runDir, LayerIndexes.in(cacheDir))}); the caller removes
   *     {@code runDir}, where the contents of the compared files are copied
   * @param refA a tag or a digest ({@code sha256:...}); likewise {@code refB}
   * @param options paths to restrict to, and the platform picked from an index
   * @return what differs; {@link ImageDiff#same()} when nothing does
   * @throws dev.refit.error.RefitException when an image is missing or unreadable; a diff
   *     command reports every failure as trouble (exit 2)
   */
  public static ImageDiff diff(FsStore store, LayerCache cache, String repoA, String refA,
      String repoB, String refB, DiffOptions options) {
    DiffImage a = DiffImage.fromStore(store, repoA, refA, options.platform(), shown(repoA, refA));
    DiffImage b = DiffImage.fromStore(store, repoB, refB, options.platform(), shown(repoB, refB));
    return DiffEngine.diff(a, b, cache, options);
  }

  /** {@code repo:tag} or {@code repo@sha256:...}. */
  static String shown(String repository, String reference) {
    return repository + (reference.contains(":") ? "@" : ":") + reference;
  }
}
