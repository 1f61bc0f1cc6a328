package dev.refit.pipeline.mirror;

import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.Index;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.oci.Platform;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.store.BlobWriter;
import dev.refit.registry.store.fs.FsStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * Test kit: writes small real images straight into a store (the upstream registry's). Layers
 * are random bytes from a seed, so the same seed in two images is one shared blob. Blocking;
 * not thread-safe.
 */
public final class UpstreamImages {
  private final FsStore store;
  private long nonce;

  public UpstreamImages(FsStore store) {
    this.store = store;
  }

  /** A real gzip stream (as its media type says) of {@code size} random bytes. */
  public static byte[] layer(long seed, int size) {
    byte[] b = new byte[size];
    new SplittableRandom(seed).nextBytes(b);
    ByteArrayOutputStream out = new ByteArrayOutputStream(size + 1024);
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * A real {@code tar+zstd} layer (golden fixture: one small file, made with the zstd CLI), for
   * checking that it is copied and stored byte for byte; refit never decompresses it there.
   */
  public static byte[] zstdLayer() {
    try (var in = UpstreamImages.class.getResourceAsStream("/mirror/layer.tar.zst")) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Descriptor blob(String repo, byte[] bytes, String mediaType) {
    Digest digest = Digest.sha256(bytes);
    if (store.stat(digest).isEmpty()) {
      try (BlobWriter writer = store.create()) {
        writer.write(ByteBuffer.wrap(bytes));
        writer.commit(digest);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    store.link(repo, digest);
    return Descriptor.of(mediaType, digest, bytes.length);
  }

  /** An image for {@code platform} with the given layers, tagged {@code tag} (null: by digest only). */
  public RawManifest image(String repo, String tag, Platform platform, byte[]... layers) {
    return image(repo, tag, platform, MediaType.OCI_LAYER_GZIP, layers);
  }

  /** As {@link #image(String, String, Platform, byte[]...)} with layers of {@code layerType}. */
  public RawManifest image(String repo, String tag, Platform platform, String layerType, byte[]... layers) {
    String config = "{\"architecture\":\"" + platform.architecture() + "\",\"os\":\"" + platform.os() + "\""
        + (platform.variant() == null ? "" : ",\"variant\":\"" + platform.variant() + "\"")
        + ",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"nonce\":" + (nonce++) + "}";
    Descriptor cfg = blob(repo, config.getBytes(StandardCharsets.UTF_8), MediaType.OCI_CONFIG);
    List<Descriptor> descriptors = new ArrayList<>();
    for (byte[] l : layers) {
      descriptors.add(blob(repo, l, layerType));
    }
    RawManifest raw = Manifest.of(cfg, descriptors).toRaw();
    store.put(repo, raw, tag);
    return raw;
  }

  /**
   * An artifact whose {@code subject} is {@code subject} (a signature, an SBOM), stored by digest
   * only, as cosign and oras push them: an empty config and one payload layer.
   */
  public RawManifest referrer(String repo, RawManifest subject, String artifactType, String payload) {
    Descriptor config = blob(repo, "{}".getBytes(StandardCharsets.UTF_8), MediaType.OCI_EMPTY);
    Descriptor layer = blob(repo, payload.getBytes(StandardCharsets.UTF_8), artifactType);
    RawManifest raw = new Manifest(2, MediaType.OCI_MANIFEST, artifactType, config, List.of(layer),
        subject.descriptor(), Map.of()).toRaw();
    store.put(repo, raw, null);
    return raw;
  }

  public RawManifest index(String repo, String tag, List<RawManifest> children, List<Platform> platforms) {
    List<Descriptor> entries = new ArrayList<>();
    for (int i = 0; i < children.size(); i++) {
      entries.add(children.get(i).descriptor().withPlatform(platforms.get(i)));
    }
    RawManifest raw = Index.of(entries).toRaw();
    store.put(repo, raw, tag);
    return raw;
  }
}
