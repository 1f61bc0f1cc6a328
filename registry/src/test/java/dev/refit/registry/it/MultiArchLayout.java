package dev.refit.registry.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.oci.Platform;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes a small multi-platform image by hand as an OCI image layout (image-spec "image-layout"):
 * an index of two platform manifests, each with its own config and one gzip tar layer of
 * random content, so every digest is new and any re-serialisation on the way would show.
 * Blocking. Not thread-safe (use one per test).
 */
public final class MultiArchLayout {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The written layout: its directory, the index and, per platform, the manifest and its blobs. */
  public record Written(Path dir, Descriptor index, List<Child> children) {
    /** Every blob (configs and layers) the children reference. */
    public List<Descriptor> blobs() {
      List<Descriptor> all = new ArrayList<>();
      children.forEach(c -> all.addAll(c.blobs()));
      return all;
    }
  }

  /** One platform image: its manifest descriptor, config and layers. */
  public record Child(Descriptor manifest, Platform platform, Descriptor config, List<Descriptor> layers) {
    public List<Descriptor> blobs() {
      List<Descriptor> all = new ArrayList<>();
      all.add(config);
      all.addAll(layers);
      return all;
    }
  }

  private MultiArchLayout() {}

  /** Writes a linux/amd64 + linux/arm64 index under {@code dir}, tagged {@code tag} in index.json. */
  public static Written write(Path dir, String tag, Random random, int layerBytes) {
    try {
      Files.createDirectories(dir.resolve("blobs/sha256"));
      Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
      List<Child> children = new ArrayList<>();
      for (Platform platform : List.of(Platform.of("linux", "amd64"), Platform.of("linux", "arm64"))) {
        children.add(writeChild(dir, platform, random, layerBytes));
      }
      ObjectNode index = JSON.createObjectNode();
      index.put("schemaVersion", 2);
      index.put("mediaType", MediaType.OCI_INDEX);
      ArrayNode manifests = index.putArray("manifests");
      for (Child c : children) {
        ObjectNode d = descriptorJson(c.manifest());
        d.putObject("platform").put("architecture", c.platform().architecture()).put("os", c.platform().os());
        manifests.add(d);
      }
      Descriptor indexDescriptor = writeBlob(dir, MediaType.OCI_INDEX, JSON.writeValueAsBytes(index));

      ObjectNode top = JSON.createObjectNode();
      top.put("schemaVersion", 2);
      top.put("mediaType", MediaType.OCI_INDEX);
      ObjectNode ref = descriptorJson(indexDescriptor);
      ref.putObject("annotations").put("org.opencontainers.image.ref.name", tag);
      top.putArray("manifests").add(ref);
      Files.write(dir.resolve("index.json"), JSON.writeValueAsBytes(top));
      return new Written(dir, indexDescriptor, List.copyOf(children));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write OCI layout under " + dir, e);
    }
  }

  private static Child writeChild(Path dir, Platform platform, Random random, int layerBytes)
      throws IOException {
    byte[] layerTar = randomTar(random, layerBytes, "data-" + platform.architecture());
    // Gzip layers, as registries usually hold them; tools that compress uncompressed layers on
    // push (skopeo does) would otherwise change every digest.
    Descriptor layer = writeBlob(dir, MediaType.OCI_LAYER_GZIP, gzip(layerTar));
    Digest diffId = Digest.sha256(layerTar); // image-spec config: diff_ids are uncompressed digests

    ObjectNode config = JSON.createObjectNode();
    config.put("architecture", platform.architecture());
    config.put("os", platform.os());
    config.putObject("config").putArray("Cmd").add("/bin/sh");
    ObjectNode rootfs = config.putObject("rootfs");
    rootfs.put("type", "layers");
    rootfs.putArray("diff_ids").add(diffId.toString());
    Descriptor configDescriptor = writeBlob(dir, MediaType.OCI_CONFIG, JSON.writeValueAsBytes(config));

    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", MediaType.OCI_MANIFEST);
    manifest.set("config", descriptorJson(configDescriptor));
    manifest.putArray("layers").add(descriptorJson(layer));
    Descriptor manifestDescriptor = writeBlob(dir, MediaType.OCI_MANIFEST, JSON.writeValueAsBytes(manifest));
    return new Child(manifestDescriptor.withPlatform(platform), platform, configDescriptor, List.of(layer));
  }

  private static byte[] randomTar(Random random, int bytes, String name) throws IOException {
    byte[] content = new byte[bytes];
    random.nextBytes(content);
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes + 2048);
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      TarArchiveEntry entry = new TarArchiveEntry(name);
      entry.setSize(bytes);
      entry.setModTime(0);
      tar.putArchiveEntry(entry);
      tar.write(content);
      tar.closeArchiveEntry();
    }
    return out.toByteArray();
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 1024);
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }

  private static Descriptor writeBlob(Path dir, String mediaType, byte[] bytes) throws IOException {
    Digest digest = Digest.sha256(bytes);
    Files.write(dir.resolve("blobs/sha256").resolve(digest.hex()), bytes);
    return Descriptor.of(mediaType, digest, bytes.length);
  }

  private static ObjectNode descriptorJson(Descriptor d) {
    ObjectNode n = JSON.createObjectNode();
    n.put("mediaType", d.mediaType());
    n.put("digest", d.digest().toString());
    n.put("size", d.size());
    return n;
  }

  /** Where the layout keeps a blob (image-spec "Blobs": blobs/ALG/HEX). */
  public static Path blobPath(Path dir, Digest digest) {
    return dir.resolve("blobs").resolve(digest.algorithm().id()).resolve(digest.hex());
  }

  /** The bytes of a (small) blob in the layout, for tests that push manifests themselves. */
  public static byte[] readBlob(Path dir, Digest digest) {
    try {
      return Files.readAllBytes(blobPath(dir, digest));
    } catch (IOException e) {
      throw new UncheckedIOException("blob " + digest + " missing from layout " + dir, e);
    }
  }
}
