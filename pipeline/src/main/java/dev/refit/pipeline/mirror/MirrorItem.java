package dev.refit.pipeline.mirror;

import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.Platform;
import java.util.List;
import java.util.Set;

/**
 * One image of a mirror run: copy {@code ref} of {@code source} to {@code destRef} of
 * {@code destRepository}, or (when {@code parts} is not empty) assemble an index under
 * {@code destRef} from the per-platform tags {@code parts}. Immutable.
 *
 * @param platforms the platforms to keep of an index; empty keeps all
 */
public record MirrorItem(SourceRepo source, String ref, List<String> parts, String destRepository, String destRef,
    Set<Platform> platforms) {

  public MirrorItem {
    parts = List.copyOf(parts);
    platforms = Set.copyOf(platforms);
  }

  static MirrorItem copy(SourceRepo source, String ref, String destRepository, String destRef,
      Set<Platform> platforms) {
    return new MirrorItem(source, ref, List.of(), destRepository, destRef, platforms);
  }

  static MirrorItem assemble(SourceRepo source, String tag, List<String> parts, String destRepository) {
    return new MirrorItem(source, tag, parts, destRepository, tag, Set.of());
  }

  public boolean assembles() {
    return !parts.isEmpty();
  }

  /** A digest reference is stored by digest: there is no tag to write. */
  public boolean byDigest() {
    return Digest.isValid(destRef);
  }

  public String describeSource() {
    return assembles() ? source.describe(ref) + " from " + String.join(", ", parts) : source.describe(ref);
  }
}
