package dev.refit.registry.testkit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refit.registry.io.HashingOutputStream;
import dev.refit.registry.layout.OciLayout;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.oci.json.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Test kit: makes random OCI images (go-containerregistry's {@code random.Image}) with
 * uncompressed tar layers of random, incompressible bytes, a config whose diff_ids match, and an
 * OCI manifest. Layers are streamed to disk and hashed on the way, never held in memory, so sizes
 * of gigabytes are fine. Thread-safe (no shared state). Blocking.
 *
 * <p>A layer of size {@code n} is a tar holding one regular file of {@code n} random bytes, so the
 * blob is a little larger than {@code n} (tar headers and padding). Layers are uncompressed, so
 * each layer's digest is also its diff_id.
 */
public final class RandomImage {
  private static final int CHUNK = 64 * 1024;

  /** One generated layer; {@code file} is where its bytes are (a layout blob or a plain file). */
  public record Layer(Descriptor descriptor, Digest diffId, Path file) {}

  /** A generated image: manifest (exact bytes), config (exact bytes) and layers, in order. */
  public record Image(RawManifest manifest, Descriptor config, byte[] configBytes, List<Layer> layers) {
    public Image {
      configBytes = configBytes.clone();
      layers = List.copyOf(layers);
    }

    /** The descriptor that names this image (what index.json or a tag points to). */
    public Descriptor manifestDescriptor() {
      return manifest.descriptor();
    }

    public Manifest parsedManifest() {
      return Manifest.parse(manifest.bytes());
    }

    public List<Descriptor> layerDescriptors() {
      return layers.stream().map(Layer::descriptor).toList();
    }

    @Override
    public byte[] configBytes() {
      return configBytes.clone();
    }
  }

  private RandomImage() {}

  /**
   * Writes a random image into {@code layout} as blobs and lists it in index.json.
   *
   * @param refName the org.opencontainers.image.ref.name to give it, or null for none
   * @param layerSizes payload bytes of each layer, base layer first
   */
  public static Image intoLayout(OciLayout layout, String refName, long... layerSizes) {
    try {
      List<Layer> layers = new ArrayList<>();
      SplittableRandom random = new SplittableRandom();
      for (int i = 0; i < layerSizes.length; i++) {
        Path staging = layout.root().resolve(".refit-random-" + UUID.randomUUID() + ".tmp");
        try {
          Layer staged = writeLayer(staging, i, layerSizes[i], random);
          Path blob = layout.blobPath(staged.diffId());
          Files.createDirectories(blob.getParent());
          // The digest was computed while writing, so the file can be moved in as is.
          Files.move(staging, blob, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          layers.add(new Layer(staged.descriptor(), staged.diffId(), blob));
        } finally {
          Files.deleteIfExists(staging);
        }
      }
      Image image = assemble(layers);
      layout.writeBlob(new ByteArrayInputStream(image.configBytes()), image.config().digest());
      Descriptor m = layout.writeManifest(image.manifest());
      if (refName == null) {
        layout.addManifest(m);
      } else {
        layout.addManifest(m, refName);
      }
      return image;
    } catch (IOException e) {
      throw new UncheckedIOException("writing random image into " + layout.root(), e);
    }
  }

  /** {@code layerCount} layers of {@code layerSize} bytes each, into {@code layout}. */
  public static Image intoLayout(OciLayout layout, String refName, int layerCount, long layerSize) {
    long[] sizes = new long[layerCount];
    java.util.Arrays.fill(sizes, layerSize);
    return intoLayout(layout, refName, sizes);
  }

  /**
   * Writes a random image as plain files in {@code dir}: {@code layer-<i>.tar}, {@code config.json}
   * and {@code manifest.json} (the manifest's exact bytes).
   */
  public static Image intoDirectory(Path dir, long... layerSizes) {
    try {
      Files.createDirectories(dir);
      List<Layer> layers = new ArrayList<>();
      SplittableRandom random = new SplittableRandom();
      for (int i = 0; i < layerSizes.length; i++) {
        layers.add(writeLayer(dir.resolve("layer-" + i + ".tar"), i, layerSizes[i], random));
      }
      Image image = assemble(layers);
      Files.write(dir.resolve("config.json"), image.configBytes());
      Files.write(dir.resolve("manifest.json"), image.manifest().bytes());
      return image;
    } catch (IOException e) {
      throw new UncheckedIOException("writing random image into " + dir, e);
    }
  }

  private static Layer writeLayer(Path file, int index, long size, SplittableRandom random)
      throws IOException {
    HashingOutputStream hashed = HashingOutputStream.sha256(Files.newOutputStream(file));
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(hashed)) {
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      TarArchiveEntry entry = new TarArchiveEntry("random/layer-" + index + ".bin");
      entry.setSize(size);
      entry.setMode(0644);
      entry.setModTime(0);
      tar.putArchiveEntry(entry);
      byte[] chunk = new byte[CHUNK];
      for (long left = size; left > 0; ) {
        int n = (int) Math.min(CHUNK, left);
        random.nextBytes(chunk);
        tar.write(chunk, 0, n);
        left -= n;
      }
      tar.closeArchiveEntry();
      tar.finish();
    }
    Digest digest = hashed.digest();
    return new Layer(Descriptor.of(MediaType.OCI_LAYER, digest, hashed.count()), digest, file);
  }

  private static Image assemble(List<Layer> layers) {
    ObjectNode config = Json.object();
    config.put("created", "1970-01-01T00:00:00Z");
    config.put("architecture", "amd64");
    config.put("os", "linux");
    ObjectNode run = config.putObject("config");
    run.putArray("Env").add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    run.putArray("Cmd").add("/bin/sh");
    ObjectNode rootfs = config.putObject("rootfs");
    rootfs.put("type", "layers");
    ArrayNode diffIds = rootfs.putArray("diff_ids");
    ArrayNode history = config.putArray("history");
    for (int i = 0; i < layers.size(); i++) {
      diffIds.add(layers.get(i).diffId().toString());
      history.addObject().put("created", "1970-01-01T00:00:00Z")
          .put("created_by", "refit RandomImage layer " + i + " (" + layers.get(i).descriptor().size() + " bytes)");
    }
    byte[] configBytes = Json.write(config);
    Descriptor configDescriptor =
        Descriptor.of(MediaType.OCI_CONFIG, Digest.sha256(configBytes), configBytes.length);
    RawManifest manifest = Manifest.of(configDescriptor,
        layers.stream().map(Layer::descriptor).toList()).toRaw();
    return new Image(manifest, configDescriptor, configBytes, layers);
  }
}
