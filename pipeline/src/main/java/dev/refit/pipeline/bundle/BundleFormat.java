package dev.refit.pipeline.bundle;

import dev.refit.pipeline.mirror.DockerSaveList;
import dev.refit.registry.oci.Digest;
import java.util.Optional;

/**
 * The entry names of a bundle tar, shared by its writer and its reader. The order is drawn in
 * docs/bundle.md: {@code oci-layout}, {@code index.json}, manifests, {@code manifest.json},
 * configs and layers, and {@code refit-bundle.json} last. Immutable.
 */
final class BundleFormat {
  /** OCI image-layout spec, "oci-layout file". */
  static final String OCI_LAYOUT = "oci-layout";
  /** OCI image-layout spec, "index.json file". */
  static final String OCI_INDEX = "index.json";
  /** docker save's list of images: Config, RepoTags, Layers (paths of entries in this tar). */
  static final String DOCKER_MANIFEST = "manifest.json";
  static final String BUNDLE_INDEX = "refit-bundle.json";
  static final String BLOBS = "blobs/";
  /** Which repository an image of index.json goes to; its ref name also says it, but not for a digest. */
  static final String REPOSITORY = "dev.refit.bundle.repository";
  /** On an OCI index that wraps a Docker manifest (list) for skopeo: the digest bundle load tags. */
  static final String WRAPS = "dev.refit.bundle.wraps";
  /** The tag or digest an image of index.json is stored under at the destination. */
  static final String REFERENCE = "dev.refit.bundle.reference";
  /** Manifests are JSON documents; anything larger is refused rather than held in memory. */
  static final int MAX_MANIFEST_BYTES = 8 * 1024 * 1024;

  private BundleFormat() {}

  static String blobEntry(Digest digest) {
    return DockerSaveList.blobEntry(digest);
  }

  /** The digest a {@code blobs/ALG/HEX} entry name claims; empty for any other name. */
  static Optional<Digest> digestOf(String entry) {
    if (!entry.startsWith(BLOBS)) {
      return Optional.empty();
    }
    String rest = entry.substring(BLOBS.length());
    int slash = rest.indexOf('/');
    if (slash < 0 || slash == rest.length() - 1) {
      return Optional.empty();
    }
    String value = rest.substring(0, slash) + ":" + rest.substring(slash + 1);
    return Digest.isValid(value) ? Optional.of(Digest.parse(value)) : Optional.empty();
  }
}
