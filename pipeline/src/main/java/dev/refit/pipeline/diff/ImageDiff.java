package dev.refit.pipeline.diff;

import dev.refit.registry.oci.Digest;
import java.util.List;

/**
 * What differs between image A and image B: paths of their final filesystems, config fields and
 * packages, with what was read to find out. Immutable.
 *
 * @param paths sorted by path
 * @param config in the order of {@link ConfigDiffs#FIELDS}
 * @param packages sorted by manager and name
 */
public record ImageDiff(Side a, Side b, List<PathDiff> paths, List<ConfigDiff> config,
    List<PackageDiff> packages, Stats stats) {

  /**
   * One image as compared.
   *
   * @param reference as the user named it
   * @param digest the manifest's digest (the platform's manifest, for an index)
   * @param platform {@code os/architecture[/variant]} from its config
   */
  public record Side(String reference, Digest digest, String platform, int layers) {}

  /**
   * @param sharedLayers layers of A also in B, by digest
   * @param layersRead layers whose index or blob the diff read (per image, so a layer read for
   *     both counts twice)
   */
  public record Stats(int sharedLayers, int layersRead) {}

  public ImageDiff {
    paths = List.copyOf(paths);
    config = List.copyOf(config);
    packages = List.copyOf(packages);
  }

  /** Nothing differs. */
  public boolean same() {
    return paths.isEmpty() && config.isEmpty() && packages.isEmpty();
  }

  public long count(Change change) {
    return paths.stream().filter(p -> p.change() == change).count();
  }
}
