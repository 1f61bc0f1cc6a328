package dev.refit.registry.oci;

import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The file-transport parts of containers-transports(5) syntax that {@link ImageRef} needs: paths,
 * {@code @N} source indexes and OCI ref names. Stateless; thread-safe.
 */
final class TransportSyntax {
  /** OCI image-spec annotations.md, org.opencontainers.image.ref.name grammar. */
  private static final String OCI_COMPONENT = "[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*";
  private static final Pattern OCI_REF_NAME =
      Pattern.compile(OCI_COMPONENT + "(?:/" + OCI_COMPONENT + ")*");
  /** skopeo transports refit does not read; named so that they are not mistaken for hosts. */
  private static final Set<String> OTHER_TRANSPORTS = Set.of(
      "containers-storage", "dir", "docker-daemon", "ostree", "sif", "tarball");

  private TransportSyntax() {}

  static boolean isOtherTransport(String prefix) {
    return OTHER_TRANSPORTS.contains(prefix);
  }

  static void validateRefName(String ref, String original) {
    if (!OCI_REF_NAME.matcher(ref).matches()) {
      throw new InvalidImageRefException("invalid image reference '" + original + "': '" + ref
          + "' is not a valid org.opencontainers.image.ref.name (letters, digits, separators"
          + " - . _ : @ + --, components joined by '/')");
    }
  }

  static Path filePath(ImageRef.Transport t, String file, String original) {
    if (file.isEmpty()) {
      throw new InvalidImageRefException("invalid image reference '" + original + "': "
          + t.prefix() + ": needs a path, e.g. " + t.prefix() + ":images/app"
          + (t == ImageRef.Transport.OCI ? "" : ".tar") + ":latest");
    }
    return Path.of(file);
  }

  /** {@code @N} selects the N-th manifest (skopeo "source index"); -1 when not used. */
  static int sourceIndex(String ref, String original) {
    if (ref == null || !ref.startsWith("@")) {
      return -1;
    }
    try {
      int i = Integer.parseInt(ref.substring(1));
      if (i >= 0) {
        return i;
      }
    } catch (NumberFormatException e) {
      // reported below with the reference
    }
    throw new InvalidImageRefException("invalid image reference '" + original + "': source index '"
        + ref + "' must be @ followed by a non-negative integer");
  }
}
