package dev.refit.registry.copy;

import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import java.util.List;

/**
 * The manifests that name one subject (signatures, SBOMs, attestations), as a source listed
 * them. Immutable.
 *
 * <p>distribution-spec "Listing Referrers" and, for registries without that API, "Referrers Tag
 * Schema": an image index tagged {@code <alg>-<hex>} of the subject's digest.
 */
public record Referrers(List<Descriptor> manifests) {
  public static final Referrers NONE = new Referrers(List.of());

  public Referrers {
    manifests = List.copyOf(manifests);
  }

  /** The fallback tag for {@code subject}: {@code sha256-<hex>} (the spec caps it at 128 characters). */
  public static String fallbackTag(Digest subject) {
    String tag = subject.algorithm().id() + "-" + subject.hex();
    return tag.length() > 128 ? tag.substring(0, 128) : tag;
  }
}
