package dev.refit.registry.client;

import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;

/**
 * What a manifest HEAD told: the descriptor plus the cache validators the registry sent.
 * Immutable.
 *
 * <p>RFC 9110 section 13.1.2: a HEAD sent with {@code If-None-Match} whose tag still matches
 * answers 304 without a digest; {@link #notModified()} is then true and {@code digest},
 * {@code mediaType} and {@code size} are unknown (null, null, 0): the caller's cached digest stands.
 *
 * @param etag the {@code ETag} header as sent (quotes kept), or null
 * @param lastModified the {@code Last-Modified} header as sent (an HTTP date), or null
 * @param notModified true when the registry answered 304 Not Modified
 */
public record ManifestHead(Digest digest, String mediaType, long size, String etag,
    String lastModified, boolean notModified) {

  /** The manifest's descriptor; only for a 200 answer. */
  public Descriptor descriptor() {
    if (notModified) {
      throw new IllegalStateException("a 304 answer carries no descriptor");
    }
    return Descriptor.of(mediaType, digest, size);
  }
}
