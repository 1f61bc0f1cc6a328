package dev.refit.pipeline.rebuild;

import dev.refit.registry.oci.Digest;
import java.util.Objects;

/**
 * What one rebuild produced. Immutable and thread-safe.
 *
 * @param service service name from the request
 * @param manifestDigest digest of the manifest now under the tag
 * @param reference {@code repo:tag@digest} in the local registry
 * @param builder name of the builder ({@link Rebuilder#name()})
 * @param buildKey the build key ({@link BuildKey}) the image carries
 * @param skipped true when the tag already carried the same build key and nothing was pushed
 */
public record RebuildResult(
    String service,
    Digest manifestDigest,
    String reference,
    String builder,
    String buildKey,
    boolean skipped) {

  public RebuildResult {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(manifestDigest, "manifestDigest");
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(builder, "builder");
    Objects.requireNonNull(buildKey, "buildKey");
  }
}
