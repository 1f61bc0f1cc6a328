package dev.refit.pipeline.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import dev.refit.pipeline.mirror.MirrorItem;
import dev.refit.pipeline.mirror.SourceRepo;
import dev.refit.registry.client.Await;
import dev.refit.registry.copy.PlatformSubset;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.ImageRef;
import dev.refit.registry.oci.Index;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.oci.Platform;
import dev.refit.registry.oci.RawManifest;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a bundle will hold, read before any blob moves: each image's manifests (parents before
 * children), and each config and layer once, with the source that has it. Only manifests are
 * read here; they are small. Blocking.
 */
final class BundleContents {
  private static final Duration MANIFEST_TIMEOUT = Duration.ofMinutes(5);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Platform DOCKER_PLATFORM = Platform.of("linux", "amd64");

  /**
   * One named image: where it goes, its top manifest, what index.json names (the top, or an OCI
   * index wrapping a Docker one), and the image manifest docker load takes.
   */
  record Image(String repository, String reference, RawManifest top, RawManifest named, Manifest forDocker,
      String source) {
    boolean wrapped() {
      return !named.digest().equals(top.digest());
    }

    String name() {
      return repository + (Digest.isValid(reference) ? "@" : ":") + reference;
    }

    boolean tagged() {
      return !Digest.isValid(reference);
    }
  }

  /** A config or layer and a source to read it from. */
  record Blob(Descriptor descriptor, SourceRepo source) {}

  final List<Image> images = new ArrayList<>();
  final Map<Digest, RawManifest> manifests = new LinkedHashMap<>();
  final Map<Digest, Blob> blobs = new LinkedHashMap<>();

  static BundleContents read(List<MirrorItem> items) {
    BundleContents contents = new BundleContents();
    items.forEach(contents::add);
    return contents;
  }

  private void add(MirrorItem item) {
    if (item.assembles()) {
      throw new RefitException("bundle create does not assemble index tags yet: " + item.describeSource(),
          "refit mirror the sync file first, then bundle the mirrored tags", ExitCode.USAGE);
    }
    SourceRepo source = item.source();
    RawManifest top = fetch(source, item.ref());
    if (MediaType.isIndex(top.mediaType()) && !item.platforms().isEmpty()) {
      top = PlatformSubset.narrow(top, Index.parse(top.bytes()), item.platforms());
    }
    manifests.putIfAbsent(top.digest(), top);
    Manifest forDocker = walk(source, top);
    RawManifest named = named(source, top, forDocker);
    manifests.putIfAbsent(named.digest(), named);
    images.add(new Image(item.destRepository(), item.destRef(), top, named, forDocker, source.registry()
        .map(host -> ImageRef.of(host, source.repository(), Digest.isValid(item.ref()) ? null : item.ref(),
            Digest.isValid(item.ref()) ? Digest.parse(item.ref()) : null).toString()).orElse(null)));
  }

  /**
   * What index.json names. skopeo 1.9 (containers/image oci/layout getManifestDescriptor) finds
   * a ref name only among entries of the two OCI media types, so a Docker manifest or manifest
   * list is named through an OCI index whose entries are the image (its platform from its
   * config) or the list's entries; the Docker manifest keeps its bytes and digest, and bundle
   * load tags it, never the wrapper ({@link BundleFormat#WRAPS}).
   */
  private static RawManifest named(SourceRepo source, RawManifest top, Manifest image) {
    List<Descriptor> entries;
    if (top.mediaType().equals(MediaType.DOCKER_MANIFEST)) {
      entries = List.of(top.descriptor().withPlatform(platform(source, image.config())));
    } else if (top.mediaType().equals(MediaType.DOCKER_MANIFEST_LIST)) {
      entries = Index.parse(top.bytes()).manifests();
    } else {
      return top;
    }
    return Index.of(entries).withAnnotations(Map.of(BundleFormat.WRAPS, top.digest().toString())).toRaw();
  }

  private static Platform platform(SourceRepo source, Descriptor config) {
    byte[] bytes = Await.result(source.smallBlob(config), MANIFEST_TIMEOUT, "reading config " + config.digest());
    try {
      JsonNode json = JSON.readTree(bytes);
      String variant = json.path("variant").asText(null);
      return new Platform(json.path("os").asText("linux"), json.path("architecture").asText("amd64"), variant, null,
          List.of());
    } catch (IOException e) {
      throw new RefitException("config " + config.digest() + " of " + source.describe(config.digest().toString())
          + " is not JSON: " + e.getMessage(), "check the source image", ExitCode.FAILED);
    }
  }

  /** Records the manifest's children; returns the image manifest docker load would take. */
  private Manifest walk(SourceRepo source, RawManifest raw) {
    if (!MediaType.isIndex(raw.mediaType())) {
      Manifest manifest = Manifest.parse(raw.bytes());
      for (Descriptor d : manifest.references()) {
        blobs.putIfAbsent(d.digest(), new Blob(d, source));
      }
      return manifest;
    }
    Manifest first = null;
    Manifest amd64 = null;
    for (Descriptor child : Index.parse(raw.bytes()).manifests()) {
      RawManifest childRaw = manifests.get(child.digest());
      if (childRaw == null) {
        childRaw = fetch(source, child.digest().toString());
        manifests.put(child.digest(), childRaw);
      }
      Manifest image = walk(source, childRaw);
      boolean preferred = child.platform() != null && DOCKER_PLATFORM.matches(child.platform());
      first = first == null ? image : first;
      amd64 = amd64 == null && preferred ? image : amd64;
    }
    return amd64 != null ? amd64 : first;
  }

  private static RawManifest fetch(SourceRepo source, String ref) {
    return Await.result(source.images().manifest(ref), MANIFEST_TIMEOUT, "reading " + source.describe(ref));
  }
}
