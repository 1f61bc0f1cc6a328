package dev.refit.patches.dockerfile;

import dev.refit.registry.oci.Digest;
import java.nio.file.Path;
import java.util.List;

/**
 * A written {@code docker_patches.tar.gz}: where it is, its sha256 and size (computed while it
 * was written), and the services it holds, sorted. Immutable and thread-safe.
 */
public record ArchiveResult(Path path, Digest sha256, long size, List<String> services) {

  public ArchiveResult {
    services = List.copyOf(services);
  }
}
