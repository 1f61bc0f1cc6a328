package dev.refit.pipeline.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refit.registry.layout.OciLayout;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.Index;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.oci.RawManifest;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads a bundle in one streaming pass, for {@code bundle verify} and {@code bundle load}:
 * index.json says which blobs are manifests, each manifest (read whole, it is small) says which
 * configs and layers follow and for which repositories, and every blob is hashed as it passes.
 * What is wrong (a corrupt, missing or unexpected entry) is collected, never thrown, so verify
 * can name everything at once. Blocking; one thread.
 */
final class BundleReader {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Receives each config and layer as it streams past. */
  interface Visitor {
    /**
     * @param in the entry's bytes: read to the end to use them (it throws
     *     {@link VerifyingInput.CorruptBlobException} there when they are corrupt), or leave them
     */
    void blob(Descriptor blob, Set<String> repositories, InputStream in) throws IOException;
  }

  /** A config or layer the manifests reference, and the repositories of the images that use it. */
  record Referenced(Descriptor blob, Set<String> repositories) {}

  /**
   * What the pass saw.
   *
   * @param images index.json's entries, null when it is missing
   * @param manifests every manifest read, by digest
   * @param index the bundle's own index, null when it is missing
   * @param fromBase configs and layers the images need that the file does not carry
   * @param problems each corrupt, missing or unexpected entry, in the order found
   */
  record Result(List<Descriptor> images, Map<Digest, RawManifest> manifests, BundleIndex index,
      List<Referenced> fromBase, List<String> problems) {}

  private final Map<Digest, Set<String>> expectedManifests = new LinkedHashMap<>();
  private final Map<Digest, RawManifest> manifests = new LinkedHashMap<>();
  private final Map<Digest, Referenced> referenced = new LinkedHashMap<>();
  private final Map<Digest, Long> carried = new LinkedHashMap<>();
  private final Set<String> entries = new LinkedHashSet<>();
  private final List<String> dockerPaths = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();
  private List<Descriptor> images;
  private BundleIndex index;

  private BundleReader() {}

  static Result read(Path bundle, Visitor visitor) throws IOException {
    BundleReader reader = new BundleReader();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(
        new BufferedInputStream(Files.newInputStream(bundle), 1024 * 1024))) {
      reader.entries(tar, visitor);
    }
    return reader.finish();
  }

  private void entries(TarArchiveInputStream tar, Visitor visitor) {
    String name = "(the start)";
    try {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        name = entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName();
        if (!entry.isDirectory()) {
          entries.add(name);
          try {
            entry(tar, entry, name, visitor);
          } catch (RuntimeException e) {
            problems.add(name + " cannot be read: " + e.getMessage());
          }
        }
      }
    } catch (IOException e) {
      problems.add("the file cannot be read past " + name + " (" + e.getMessage() + "): it is truncated or not a tar");
    }
  }

  private void entry(TarArchiveInputStream tar, TarArchiveEntry entry, String name, Visitor visitor)
      throws IOException {
    switch (name) {
      case BundleFormat.OCI_INDEX -> {
        images = Index.parse(small(tar, entry, name)).manifests();
        for (Descriptor d : images) {
          expectedManifests.computeIfAbsent(d.digest(), k -> new LinkedHashSet<>()).add(repository(d));
          expectedManifests.computeIfAbsent(tagged(d), k -> new LinkedHashSet<>()).add(repository(d));
        }
      }
      case BundleFormat.DOCKER_MANIFEST -> {
        for (JsonNode image : JSON.readTree(small(tar, entry, name))) {
          dockerPaths.add(image.path("Config").asText());
          image.path("Layers").forEach(l -> dockerPaths.add(l.asText()));
        }
      }
      case BundleFormat.BUNDLE_INDEX -> index = BundleIndex.parse(small(tar, entry, name), BundleFormat.BUNDLE_INDEX);
      default -> blobEntry(tar, entry, name, visitor);
    }
  }

  private void blobEntry(TarArchiveInputStream tar, TarArchiveEntry entry, String name, Visitor visitor)
      throws IOException {
    Optional<Digest> digest = BundleFormat.digestOf(name);
    if (digest.isEmpty()) {
      return;
    }
    Digest d = digest.get();
    carried.put(d, entry.getSize());
    Set<String> repositories = expectedManifests.get(d);
    if (repositories != null) {
      manifest(d, small(tar, entry, name), repositories, name);
      return;
    }
    Referenced ref = referenced.get(d);
    Descriptor descriptor = ref != null ? ref.blob() : Descriptor.of("application/octet-stream", d, entry.getSize());
    VerifyingInput in = new VerifyingInput(tar, descriptor, name);
    try {
      if (ref != null) {
        visitor.blob(descriptor, ref.repositories(), in);
      } else {
        in.transferTo(java.io.OutputStream.nullOutputStream());
      }
    } catch (VerifyingInput.CorruptBlobException e) {
      problems.add(e.getMessage());
    }
  }

  private void manifest(Digest digest, byte[] bytes, Set<String> repositories, String name) {
    if (!Digest.compute(digest.algorithm(), bytes).equals(digest)) {
      problems.add(name + " is corrupt: a manifest whose bytes hash to "
          + Digest.compute(digest.algorithm(), bytes));
      return;
    }
    String mediaType = mediaType(bytes);
    RawManifest raw = RawManifest.of(bytes, mediaType, digest.algorithm());
    manifests.put(digest, raw);
    if (MediaType.isIndex(mediaType)) {
      for (Descriptor child : Index.parse(bytes).manifests()) {
        expectedManifests.computeIfAbsent(child.digest(), k -> new LinkedHashSet<>()).addAll(repositories);
      }
    } else {
      for (Descriptor blob : Manifest.parse(bytes).references()) {
        referenced.computeIfAbsent(blob.digest(), k -> new Referenced(blob, new LinkedHashSet<>()))
            .repositories().addAll(repositories);
      }
    }
  }

  private Result finish() {
    if (images == null) {
      problems.add(BundleFormat.OCI_INDEX + " is missing");
    }
    if (index == null) {
      problems.add(BundleFormat.BUNDLE_INDEX + " is missing: the file is truncated or not a refit bundle");
    } else {
      for (BundleIndex.Blob blob : index.blobs()) {
        Long size = carried.get(Digest.parse(blob.digest()));
        if (size == null) {
          problems.add(BundleFormat.blobEntry(Digest.parse(blob.digest())) + " is missing");
        } else if (size != blob.size()) {
          problems.add(BundleFormat.blobEntry(Digest.parse(blob.digest())) + " has " + size + " bytes, the index says "
              + blob.size());
        }
      }
    }
    expectedManifests.keySet().stream().filter(d -> !carried.containsKey(d))
        .forEach(d -> problems.add("manifest " + BundleFormat.blobEntry(d) + " is missing"));
    Set<String> base = index == null || index.base() == null ? Set.of()
        : new LinkedHashSet<>(index.base().blobs().stream().map(BundleIndex.Blob::digest).toList());
    List<Referenced> fromBase = new ArrayList<>();
    for (Referenced ref : referenced.values()) {
      if (carried.containsKey(ref.blob().digest())) {
        continue;
      }
      if (base.contains(ref.blob().digest().toString())) {
        fromBase.add(ref);
      } else {
        problems.add(BundleFormat.blobEntry(ref.blob().digest()) + " is missing (used by "
            + String.join(", ", ref.repositories()) + ")");
      }
    }
    dockerPaths.stream().filter(p -> !entries.contains(p))
        .forEach(p -> problems.add(BundleFormat.DOCKER_MANIFEST + " names " + p + ", which is not in the file"));
    return new Result(images, manifests, index, fromBase, problems);
  }

  /** The manifest bundle load stores for an index.json entry: the entry's, or the Docker one it wraps. */
  static Digest tagged(Descriptor image) {
    String wrapped = image.annotations().get(BundleFormat.WRAPS);
    return wrapped != null ? Digest.parse(wrapped) : image.digest();
  }

  static String repository(Descriptor image) {
    String repository = image.annotations().get(BundleFormat.REPOSITORY);
    if (repository != null) {
      return repository;
    }
    String name = image.annotations().getOrDefault(OciLayout.REF_NAME, "");
    int colon = name.lastIndexOf(':');
    return colon > 0 ? name.substring(0, colon) : name;
  }

  private static String mediaType(byte[] bytes) {
    try {
      JsonNode node = JSON.readTree(bytes);
      if (node.hasNonNull("mediaType")) {
        return node.get("mediaType").asText();
      }
      return node.has("manifests") ? MediaType.OCI_INDEX : MediaType.OCI_MANIFEST;
    } catch (IOException e) {
      return MediaType.OCI_MANIFEST;
    }
  }

  /** A JSON entry, read whole; a larger one than any manifest is refused, not buffered. */
  private static byte[] small(InputStream tar, TarArchiveEntry entry, String name) throws IOException {
    if (entry.getSize() > BundleFormat.MAX_MANIFEST_BYTES) {
      throw new IOException(name + " has " + entry.getSize() + " bytes, more than a manifest may");
    }
    return tar.readNBytes((int) entry.getSize());
  }
}
