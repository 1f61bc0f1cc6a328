package dev.refit.patches.dockerfile;

import dev.refit.registry.oci.Digest;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One patch applied to an image, as the Dockerfile's labels (and the apex style's steps) name it.
 * Immutable and thread-safe.
 *
 * @param id short stable name: the Gerrit Change-Id, or the label of a file or tree
 *     ({@code PatchSpec.id()})
 * @param source where the patch came from, free text for the label, e.g.
 *     {@code gerrit openstack/nova~master~I0a1b revision 3f2a} or {@code file fix.patch}
 * @param sha256 digest of the patch as fetched, for the label
 * @param patchFile the patch the apex style ADDs and applies with {@code patch -p1}, exactly as it
 *     must apply inside the image (sections the engine drops, such as {@code tests/}, already
 *     removed); null for trees and when only the copy style is used
 * @param targetDir directory inside the image where the project root lives, e.g.
 *     {@code usr/lib/python3.6/site-packages}; the apex style runs {@code patch} there; null when
 *     only the copy style is used
 */
public record AppliedPatch(String id, String source, Digest sha256, Path patchFile, String targetDir) {

  public AppliedPatch {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(sha256, "sha256");
    if (id.isBlank()) {
      throw new DockerfileException("an applied patch has a blank id; give each patch its change id or label");
    }
  }

  /** A patch as the copy style needs it: labels only. */
  public static AppliedPatch of(String id, String source, Digest sha256) {
    return new AppliedPatch(id, source, sha256, null, null);
  }

  /** This patch with the file and directory the apex style needs. */
  public AppliedPatch withPatchFile(Path file, String dir) {
    return new AppliedPatch(id, source, sha256, file, dir);
  }
}
