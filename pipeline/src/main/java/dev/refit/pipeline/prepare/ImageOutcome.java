package dev.refit.pipeline.prepare;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One row of the prepare report: what happened to one service image. Immutable; thread-safe.
 *
 * @param service the service name, e.g. {@code nova-api}
 * @param upstream the upstream reference
 * @param upstreamDigest the upstream manifest digest, null when the fetch failed
 * @param action what was done
 * @param reason why it failed or was skipped, else null
 * @param apexDigest the digest under the apex tag, null when not patched
 * @param apexReference {@code repo:tag@digest} in the local registry, null when not patched
 * @param patches ids of the patches applied
 * @param millis wall time spent on this image
 */
@JsonPropertyOrder({"service", "upstream", "upstreamDigest", "action", "reason", "apexDigest",
    "apexReference", "patches", "millis"})
public record ImageOutcome(String service, String upstream, String upstreamDigest, Action action,
    String reason, String apexDigest, String apexReference, java.util.List<String> patches,
    long millis) {

  public ImageOutcome {
    patches = patches == null ? java.util.List.of() : java.util.List.copyOf(patches);
  }

  /** The same row with the job's wall time. */
  ImageOutcome withMillis(long value) {
    return new ImageOutcome(service, upstream, upstreamDigest, action, reason, apexDigest,
        apexReference, patches, value);
  }

  static ImageOutcome failed(String service, String upstream, String upstreamDigest, String reason,
      long millis) {
    return new ImageOutcome(service, upstream, upstreamDigest, Action.FAILED, reason, null, null,
        null, millis);
  }
}
