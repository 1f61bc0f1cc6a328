package dev.refit.patches.dockerfile;

import dev.refit.registry.oci.Digest;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One file of a build context besides the Dockerfile: where it goes in the context, which local
 * file holds its bytes, the mode its tar entry carries (Docker's COPY keeps it), and the size and
 * digest the bytes must still have when they are archived. Immutable and thread-safe.
 *
 * @param path relative path inside the context, e.g. {@code files/etc/nova/nova.conf}
 * @param content local file holding the bytes
 * @param mode permission bits, e.g. {@code 0644}, setuid/setgid/sticky included
 */
public record ContextFile(String path, Path content, int mode, long size, Digest sha256) {

  public ContextFile {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(sha256, "sha256");
    if ((mode & ~07777) != 0) {
      throw new DockerfileException("context file " + path + ": mode " + Integer.toOctalString(mode)
          + " has bits beyond 07777; give permission bits only");
    }
    if (size < 0) {
      throw new DockerfileException("context file " + path + ": negative size " + size);
    }
  }
}
