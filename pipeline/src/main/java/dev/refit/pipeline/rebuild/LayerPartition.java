package dev.refit.pipeline.rebuild;

import dev.refit.patches.engine.ChangedFile;
import dev.refit.patches.engine.PatchResult;
import dev.refit.registry.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a large patch result into the ordered contents of the layers a rebuild adds (bottom
 * first), so that after one file of an install/ tree changes, the next rebuild shares every layer
 * but the one holding that file. Stateless and thread-safe; reads no file.
 *
 * <p>The rule (docs/architecture.md, "Dev-loop layering"), over the changed files in path order:
 * <ul>
 *   <li>A result with fewer than {@link #SINGLE_LAYER_BELOW} changed bytes stays one layer: the
 *       result itself, as before the partition existed.
 *   <li>Otherwise, for a unit {@code u}: a file of at least {@code u} bytes is a layer of its own.
 *       A run of smaller files is cut before a <em>boundary</em> file once it holds {@code u}
 *       bytes, and before the file that would take it over {@code 4u} (rare). Whether a file is a
 *       boundary depends on a hash of its path and on its size only ({@link #boundary}), as if
 *       each byte were a cut point with probability {@code 4/u}: runs hold about
 *       {@code 1.25u}, an edit moves at most the cuts next to it, and a same-size edit none.
 *       After a moved cut, both versions cut again at the first boundary past {@code u} bytes,
 *       so the runs realign within a run or two.
 *   <li>{@code u} is the smallest power of two, at least {@link #MIN_UNIT}, for which the layers
 *       fit the budget. A power of two, so a small change of the tree does not move every cut.
 *   <li>A deletion (whiteout) goes into the layer whose path range covers its path. A path sorts
 *       before all of its descendants, so a whiteout never lands above a file or directory refit
 *       writes below the deleted path, and it hides only what the base or lower layers hold there
 *       (OCI image-spec layer.md, "Whiteouts"; a whiteout does not hide an entry of its own layer).
 * </ul>
 *
 * <p>Each layer carries the parent directories of its own paths (see {@link DeltaLayer}); a layer
 * writer must take the metadata of a directory the base lacks from the whole result
 * ({@link DeltaLayer#newDirectoryOwner} of the unsplit result), so every layer writes it alike.
 */
public final class LayerPartition {

  /** Results below this many changed bytes stay one layer (small source patches). */
  public static final long SINGLE_LAYER_BELOW = 16L << 20;

  /**
   * The default budget of refit layers: with a base of 20-70 layers, the image stays well under
   * the 127 layers overlayfs stacks.
   */
  public static final int MAX_LAYERS = 48;

  /** The layers overlayfs stacks at most, a base's own included. */
  public static final int OVERLAY_LAYERS = 127;

  /** The smallest unit tried; below it a layer costs more in round trips than it saves. */
  public static final long MIN_UNIT = 1L << 20;

  /** The rule's name and version, for build keys: bump it when the partition of a result moves. */
  public static final String RULE = "path-hash/1";

  private LayerPartition() {}

  /**
   * The budget on top of a base of {@code baseLayers}: {@link #MAX_LAYERS}, or half the layers
   * overlayfs has left when the base is tall, so that an image built on the result still fits.
   */
  public static int budget(int baseLayers) {
    return Math.max(1, Math.min(MAX_LAYERS, (OVERLAY_LAYERS - baseLayers) / 2));
  }

  /** The layers of {@code result} within the default budget ({@link #MAX_LAYERS}). */
  public static List<PatchResult> of(PatchResult result) {
    return of(result, MAX_LAYERS);
  }

  /** The layers of {@code result}, bottom first, at most {@code maxLayers} of them. */
  public static List<PatchResult> of(PatchResult result, int maxLayers) {
    if (maxLayers < 1) {
      throw new IllegalArgumentException("a layer budget must be at least 1, not " + maxLayers);
    }
    if (totalBytes(result) < SINGLE_LAYER_BELOW || maxLayers == 1) {
      return List.of(result);
    }
    List<List<ChangedFile>> runs = runs(result.changed(), unit(result, maxLayers));
    return withDeletions(runs, result.deleted());
  }

  /** The unit the rule picks for {@code result}, or 0 when it stays one layer. */
  public static long unit(PatchResult result, int maxLayers) {
    if (totalBytes(result) < SINGLE_LAYER_BELOW || maxLayers <= 1) {
      return 0;
    }
    long unit = MIN_UNIT;
    // Terminates: once the unit exceeds the total, nothing is cut.
    while (runs(result.changed(), unit).size() > maxLayers) {
      unit <<= 1;
    }
    return unit;
  }

  /** The changed bytes of {@code result}. */
  public static long totalBytes(PatchResult result) {
    long total = 0;
    for (ChangedFile f : result.changed()) {
      total += f.size();
    }
    return total;
  }

  private static List<List<ChangedFile>> runs(List<ChangedFile> files, long unit) {
    long gap = unit / 4;
    List<List<ChangedFile>> runs = new ArrayList<>();
    List<ChangedFile> run = new ArrayList<>();
    long bytes = 0;
    for (ChangedFile f : files) {
      boolean alone = f.size() >= unit;
      boolean cut = alone || bytes + f.size() > 4 * unit || (bytes >= unit && boundary(f, gap));
      if (cut && !run.isEmpty()) {
        runs.add(run);
        run = new ArrayList<>();
        bytes = 0;
      }
      run.add(f);
      bytes += f.size();
      if (alone) {
        runs.add(run);
        run = new ArrayList<>();
        bytes = 0;
      }
    }
    if (!run.isEmpty()) {
      runs.add(run);
    }
    return runs;
  }

  /**
   * Whether {@code f} may start a layer: the first 8 bytes of sha256(path), taken modulo
   * {@code gap}, fall below the file's size. For a uniform hash that happens with probability
   * {@code size/gap}, so on average a cut comes every {@code gap} bytes, wherever they lie; the
   * content, mode and work-file location play no part.
   */
  static boolean boundary(ChangedFile f, long gap) {
    String hex = Digest.sha256(f.path().getBytes(StandardCharsets.UTF_8)).hex();
    long h = Long.parseUnsignedLong(hex.substring(0, 16), 16);
    return Long.remainderUnsigned(h, gap) < f.size();
  }

  /** Each deleted path joins the run whose first path is the greatest not above it. */
  private static List<PatchResult> withDeletions(List<List<ChangedFile>> runs, List<String> deleted) {
    List<List<String>> gone = new ArrayList<>();
    runs.forEach(r -> gone.add(new ArrayList<>()));
    int at = 0;
    for (String d : deleted) {
      while (at + 1 < runs.size() && runs.get(at + 1).get(0).path().compareTo(d) <= 0) {
        at++;
      }
      gone.get(at).add(d);
    }
    List<PatchResult> layers = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      layers.add(new PatchResult(runs.get(i), gone.get(i)));
    }
    return List.copyOf(layers);
  }
}
