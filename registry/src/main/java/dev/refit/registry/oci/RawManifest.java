package dev.refit.registry.oci;

import java.util.Arrays;
import java.util.Objects;

/**
 * A manifest's exact bytes, its media type and the digest computed over those bytes. Immutable.
 *
 * <p>Raw bytes are first-class: a registry must serve exactly what it received, and a digest is
 * always computed over the bytes, never over a re-serialisation (distribution-spec "Pushing
 * Manifests"). Manifests are small (bounded by the server's limit), so holding them is fine.
 */
public final class RawManifest {
  private final byte[] bytes;
  private final String mediaType;
  private final Digest digest;

  private RawManifest(byte[] bytes, String mediaType, Digest digest) {
    this.bytes = bytes;
    this.mediaType = mediaType;
    this.digest = digest;
  }

  /** Wraps bytes, hashing them with sha256. */
  public static RawManifest of(byte[] bytes, String mediaType) {
    return of(bytes, mediaType, Digest.Algorithm.SHA256);
  }

  public static RawManifest of(byte[] bytes, String mediaType, Digest.Algorithm algorithm) {
    byte[] copy = bytes.clone();
    return new RawManifest(copy, mediaType, Digest.compute(algorithm, copy));
  }

  /**
   * Wraps bytes that must hash to {@code expected}, e.g. a manifest fetched by digest.
   *
   * @throws DigestMismatchException when they do not
   */
  public static RawManifest verified(byte[] bytes, String mediaType, Digest expected) {
    Objects.requireNonNull(expected, "expected");
    byte[] copy = bytes.clone();
    Digest actual = Digest.compute(expected.algorithm(), copy);
    if (!actual.equals(expected)) {
      throw new DigestMismatchException(expected, actual);
    }
    return new RawManifest(copy, mediaType, actual);
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  public int size() {
    return bytes.length;
  }

  public String mediaType() {
    return mediaType;
  }

  public Digest digest() {
    return digest;
  }

  public Descriptor descriptor() {
    return Descriptor.of(mediaType, digest, bytes.length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RawManifest m && m.digest.equals(digest) && Arrays.equals(m.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return digest.hashCode();
  }

  @Override
  public String toString() {
    return mediaType + "@" + digest + " (" + bytes.length + " bytes)";
  }
}
