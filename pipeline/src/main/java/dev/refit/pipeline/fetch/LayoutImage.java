package dev.refit.pipeline.fetch;

import dev.refit.registry.layout.OciLayout;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.ImageRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One service image of an OCI layout upstream, keyed {@code oci:DIR:REPOSITORY:TAG}, and how it
 * is found in the layout. Immutable and thread-safe; {@link #find} is blocking.
 *
 * <p>Names are index.json {@code org.opencontainers.image.ref.name} annotations (image-spec
 * "annotations"), which skopeo's {@code oci:DIR:NAME} transport writes and reads. Tried in order:
 * in {@code DIR}, {@code REPOSITORY:TAG}, then any {@code HOST/REPOSITORY:TAG}, then
 * {@code NAME:TAG} with NAME the last path component; then a layout per image,
 * {@code DIR/REPOSITORY} or {@code DIR/NAME}, holding the tag alone as the name.
 *
 * @param repository where the image goes in the local registry, e.g. {@code tripleomaster/centos-binary-nova-api}
 */
record LayoutImage(Path dir, String repository, String tag) {

  /** A layout image and where it was found. */
  record Found(OciLayout layout, Descriptor descriptor, String name) {}

  /** Reads a key written by {@link UpstreamForms#imageRef}. */
  static LayoutImage of(ImageRef ref) {
    String name = ref.tag();
    int colon = name == null ? -1 : name.lastIndexOf(':');
    if (ref.transport() != ImageRef.Transport.OCI || colon <= 0 || name.lastIndexOf('/') > colon) {
      throw new FetchException(ref + " is not an OCI layout image of the form oci:DIR:REPOSITORY:TAG");
    }
    return new LayoutImage(ref.path(), name.substring(0, colon), name.substring(colon + 1));
  }

  private String shortName() {
    return repository.substring(repository.lastIndexOf('/') + 1);
  }

  /**
   * Finds the image in the layout. Blocking.
   *
   * @throws FetchException naming every place looked at and the names the layout has
   */
  Found find() {
    if (!Files.isRegularFile(dir.resolve(OciLayout.LAYOUT_FILE))) {
      throw new FetchException("upstream oci:" + dir + " is not an OCI image layout (no "
          + OciLayout.LAYOUT_FILE + " file); write one with skopeo copy ... oci:" + dir
          + ":NAMESPACE/NAME:TAG");
    }
    OciLayout layout = OciLayout.open(dir);
    String full = repository + ":" + tag;
    Set<String> seen = new LinkedHashSet<>();
    Optional<Found> found = named(layout, full, seen)
        .or(() -> suffixed(layout, "/" + full, seen))
        .or(() -> named(layout, shortName() + ":" + tag, seen));
    List<String> tried = new ArrayList<>(List.of("'" + full + "'", "'HOST/" + full + "'",
        "'" + shortName() + ":" + tag + "' in " + dir));
    for (Path sub : List.of(dir.resolve(repository), dir.resolve(shortName()))) {
      if (found.isEmpty() && Files.isRegularFile(sub.resolve(OciLayout.LAYOUT_FILE))) {
        OciLayout own = OciLayout.open(sub);
        found = named(own, tag, seen).or(() -> named(own, full, seen));
      }
      tried.add("'" + tag + "' in " + sub);
    }
    return found.orElseThrow(() -> new FetchException("no image " + full + " in the OCI layout "
        + dir + ": looked for the names " + String.join(", ", tried) + "; the layouts have "
        + (seen.isEmpty() ? "no named images" : String.join(", ", seen))
        + "; name it with skopeo copy SOURCE oci:" + dir + ":" + full));
  }

  private static Optional<Found> named(OciLayout layout, String name, Set<String> seen) {
    return matching(layout, seen, name::equals);
  }

  private static Optional<Found> suffixed(OciLayout layout, String suffix, Set<String> seen) {
    return matching(layout, seen, n -> n.endsWith(suffix));
  }

  private static Optional<Found> matching(OciLayout layout, Set<String> seen,
      java.util.function.Predicate<String> test) {
    for (Descriptor d : layout.readIndex().manifests()) {
      String n = d.annotations().get(OciLayout.REF_NAME);
      if (n != null) {
        seen.add(n);
        if (test.test(n)) {
          return Optional.of(new Found(layout, d, n));
        }
      }
    }
    return Optional.empty();
  }
}
