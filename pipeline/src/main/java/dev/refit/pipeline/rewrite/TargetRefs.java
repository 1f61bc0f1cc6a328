package dev.refit.pipeline.rewrite;

import dev.refit.error.Causes;
import dev.refit.registry.oci.ImageRef;
import dev.refit.registry.oci.InvalidImageRefException;
import java.nio.file.Path;

/**
 * Turns one reference found in a file into its new text (the same text for a held service), with
 * errors located in the file. Stateless; thread-safe.
 */
final class TargetRefs {

  private TargetRefs() {
  }

  static String target(Path file, int line, int column, String key, String old, ImageMapping mapping) {
    ImageRef ref;
    try {
      ref = ImageRef.parse(old);
    } catch (InvalidImageRefException e) {
      throw new RewriteException(file, line, column, "the value of " + key + " is not an image reference: "
          + Causes.describe(e) + "; correct it or remove the entry", e);
    }
    if (ref.transport() != ImageRef.Transport.DOCKER) {
      throw new RewriteException(file, line, column, "the value of " + key + " ('" + old
          + "') is not a registry reference; image lists must name registry images", null);
    }
    if (mapping.isHeld(mapping.serviceOf(ref))) {
      return old; // a failed image: byte for byte as it was, never its unpatched mirror copy
    }
    try {
      return mapping.target(ref);
    } catch (IllegalArgumentException e) {
      throw new RewriteException(file, line, column, key + ": " + Causes.describe(e), e);
    }
  }
}
