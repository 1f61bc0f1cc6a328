package dev.refit.pipeline.verify;

import dev.refit.pipeline.diff.Change;
import dev.refit.registry.oci.Digest;
import java.util.List;

/**
 * What {@code refit verify} found for one image: what its labels declare, the base→apex changes
 * the patches explain, and every difference they do not. Immutable.
 *
 * @param image as the user named it
 * @param digest the image's manifest digest
 * @param builder the {@code dev.refit.builder} label, or null
 * @param explained paths the patches account for, sorted by path
 * @param unexplained unusable patches first, then paths, then config fields
 */
public record VerifyReport(String image, Digest digest, String baseName, Digest baseDigest,
    String builder, List<PatchState> patches, List<Explained> explained,
    List<Finding> unexplained) {

  /** A declared patch; {@code usable} is false when it could not be re-applied. */
  public record PatchState(String id, String source, String sha256, boolean usable) {}

  /** A path that differs from the base as a patch says; {@code patch} is the one that writes it. */
  public record Explained(String path, Change change, String patch) {}

  public VerifyReport {
    patches = List.copyOf(patches);
    explained = List.copyOf(explained);
    unexplained = List.copyOf(unexplained);
  }

  /** The image is its base plus its declared patches and nothing else. */
  public boolean verified() {
    return unexplained.isEmpty();
  }
}
