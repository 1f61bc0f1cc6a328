package dev.refit.pipeline.fetch;

import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.ImageRef;

/**
 * Where an upstream image's copy lives in the local registry: the same repository path and tag
 * (or digest), or, for an OCI layout image, the repository and tag its name gives. Stateless.
 */
final class LocalCopy {
  private LocalCopy() {}

  /** {@code HOST/REPOSITORY[:TAG]@DIGEST} in the local registry {@code registry}. */
  static String name(String registry, ImageRef upstream, Digest digest) {
    String tag = tag(upstream) == null ? "" : ":" + tag(upstream);
    return registry + "/" + repository(upstream) + tag + "@" + digest;
  }

  /** The reference the index records: {@code REPOSITORY:TAG}, or {@code REPOSITORY@DIGEST}. */
  static String indexReference(ImageRef upstream) {
    return repository(upstream) + (tag(upstream) != null ? ":" + tag(upstream) : "@" + upstream.digest());
  }

  /** The tag when the upstream has one (kept as is), else the digest. */
  static String targetReference(ImageRef upstream) {
    return upstream.tag() != null ? upstream.tag() : upstream.digest().toString();
  }

  static String repository(ImageRef upstream) {
    return upstream.transport() == ImageRef.Transport.OCI ? LayoutImage.of(upstream).repository()
        : upstream.repository();
  }

  private static String tag(ImageRef upstream) {
    return upstream.transport() == ImageRef.Transport.OCI ? LayoutImage.of(upstream).tag() : upstream.tag();
  }
}
