package dev.refit.patches.source;

import dev.refit.registry.oci.Digest;
import dev.refit.settings.deploy.PatchSpec;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * One patch ready to apply: its bytes in a local file (or, for an install/ tree, the directory),
 * where it came from and its checksum. Immutable and thread-safe.
 *
 * @param spec the settings entry it came from; for a series member, a FILE spec naming the member
 * @param file the patch file, or the tree directory for {@link PatchSpec.Source#TREE}
 * @param revision the Gerrit commit sha of the fetched patchset; null for local sources
 * @param status Gerrit's {@code NEW} or {@code MERGED}; {@code FILE} or {@code TREE} for local ones
 * @param mergedAt when a MERGED change was submitted, else null
 * @param sha256 of the patch file's bytes; for a tree, of its sorted "path sha256" listing
 */
public record FetchedPatch(
    PatchSpec spec, Path file, String revision, String status, Instant mergedAt, Digest sha256) {

  public static final String STATUS_FILE = "FILE";
  public static final String STATUS_TREE = "TREE";

  public FetchedPatch {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(sha256, "sha256");
  }

  public boolean isMerged() {
    return GerritChange.MERGED.equals(status);
  }

  /**
   * Whether an image built at {@code buildTime} already contains this change: true only for a
   * merged change submitted before the build. An unknown build time is never "promoted".
   */
  public boolean promotedIn(Instant buildTime) {
    return isMerged() && mergedAt != null && buildTime != null && !mergedAt.isAfter(buildTime);
  }
}
