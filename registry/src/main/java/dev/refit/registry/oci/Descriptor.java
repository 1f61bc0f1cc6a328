package dev.refit.registry.oci;

import java.util.Map;
import java.util.Objects;

/**
 * An OCI content descriptor: what a manifest says about a blob it references. Immutable.
 *
 * <p>OCI image-spec descriptor.md. {@code platform}, {@code artifactType} and {@code annotations}
 * are optional and may be null/empty.
 */
public record Descriptor(
    String mediaType,
    Digest digest,
    long size,
    Platform platform,
    String artifactType,
    Map<String, String> annotations) {

  public Descriptor {
    Objects.requireNonNull(digest, "digest");
    if (size < 0) {
      throw new IllegalArgumentException("descriptor size must be >= 0, got " + size);
    }
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }

  public static Descriptor of(String mediaType, Digest digest, long size) {
    return new Descriptor(mediaType, digest, size, null, null, Map.of());
  }

  public Descriptor withPlatform(Platform p) {
    return new Descriptor(mediaType, digest, size, p, artifactType, annotations);
  }

  public Descriptor withAnnotations(Map<String, String> a) {
    return new Descriptor(mediaType, digest, size, platform, artifactType, a);
  }
}
