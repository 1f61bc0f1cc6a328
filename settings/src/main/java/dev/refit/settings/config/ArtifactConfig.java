package dev.refit.settings.config;

import dev.refit.settings.Location;
import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One file artifact from refit.yaml's {@code artifacts} list (an upstream RDO image such as
 * {@code overcloud-full.tar}), kept under the cache directory. Immutable and thread-safe.
 *
 * @param url where it is served, http or https
 * @param sha256 the expected sha256 as 64 lower-case hex digits, or null to accept what is served
 * @param dest a normalised relative path below the cache directory, never leaving it
 * @param origin where the entry was written, for messages
 */
public record ArtifactConfig(URI url, String sha256, Path dest, Location origin) {

  public ArtifactConfig {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(dest, "dest");
    Objects.requireNonNull(origin, "origin");
    if (dest.isAbsolute() || dest.normalize().startsWith("..") || dest.toString().isEmpty()) {
      throw new IllegalArgumentException("artifact dest must stay below the cache directory: " + dest);
    }
  }

  /** The file this artifact is kept in below {@code cacheDir}. */
  public Path target(Path cacheDir) {
    return cacheDir.resolve(dest);
  }
}
