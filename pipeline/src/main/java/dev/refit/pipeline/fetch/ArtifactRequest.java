package dev.refit.pipeline.fetch;

import dev.refit.registry.oci.Digest;
import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One file artifact to fetch (e.g. an upstream tarball). Immutable.
 *
 * @param url where it is served (http or https)
 * @param target the local file it is kept in
 * @param checksum the expected digest, or null to accept whatever the server sends
 */
public record ArtifactRequest(URI url, Path target, Digest checksum) {

  public ArtifactRequest {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(target, "target");
    if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
      throw new IllegalArgumentException("artifact URL must be http or https: " + url);
    }
  }

  public static ArtifactRequest of(URI url, Path target) {
    return new ArtifactRequest(url, target, null);
  }

  /** With an expected checksum: {@code sha256:<hex>}, or bare 64-hex sha256 as Apex's settings spell it. */
  public ArtifactRequest withChecksum(String value) {
    Digest d = value.contains(":") ? Digest.parse(value) : Digest.of(Digest.Algorithm.SHA256, value);
    return new ArtifactRequest(url, target, d);
  }
}
