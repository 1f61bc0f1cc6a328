package dev.refit.patches.engine;

import dev.refit.registry.oci.Digest;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A file whose new content a patch or tree produces: the path inside the image, a work file
 * holding the new bytes, and the metadata it must carry. Immutable and thread-safe.
 *
 * @param path normalised path inside the image
 * @param content file in a work directory holding the new bytes
 * @param mode permission bits, e.g. {@code 0644}
 * @param uid owner user id
 * @param gid owner group id
 * @param size size of {@code content} in bytes
 * @param sha256 digest of {@code content}
 */
public record ChangedFile(
    String path, Path content, int mode, int uid, int gid, long size, Digest sha256) {

  public ChangedFile {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(sha256, "sha256");
  }
}
