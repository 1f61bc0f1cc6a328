package dev.refit.pipeline.diff;

import dev.refit.patches.image.TestLayer;
import dev.refit.pipeline.mirror.UpstreamImages;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.oci.Platform;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.store.fs.FsStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test kit: pushes images made of real gzip tar layers ({@link TestLayer}) and a config into an
 * {@link FsStore}, as the embedded registry holds them. Blocking; not thread-safe.
 */
public final class DiffImages {
  public static final String BASE_CONFIG = "{\"architecture\":\"amd64\",\"os\":\"linux\","
      + "\"config\":{\"Env\":[\"PATH=/usr/bin\"],\"Cmd\":[\"sh\"]},"
      + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}";

  private final FsStore store;
  private final UpstreamImages blobs;
  private final Path dir;
  private int n;

  public DiffImages(FsStore store, Path dir) {
    this.store = store;
    this.blobs = new UpstreamImages(store);
    this.dir = dir;
  }

  /** The layer as a gzip blob's bytes. */
  public byte[] layer(TestLayer layer) {
    try {
      Path file = dir.resolve("layer-" + (n++) + ".tar.gz");
      layer.write(file, true);
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code repo:tag} with {@code config} and the layers (bottom first). */
  public RawManifest image(String repo, String tag, String config, byte[]... layers) {
    Descriptor cfg = blobs.blob(repo, config.getBytes(StandardCharsets.UTF_8), MediaType.OCI_CONFIG);
    List<Descriptor> descriptors = new ArrayList<>();
    for (byte[] l : layers) {
      descriptors.add(blobs.blob(repo, l, MediaType.OCI_LAYER_GZIP));
    }
    RawManifest raw = Manifest.of(cfg, descriptors).toRaw();
    store.put(repo, raw, tag);
    return raw;
  }

  public RawManifest image(String repo, String tag, byte[]... layers) {
    return image(repo, tag, BASE_CONFIG, layers);
  }

  /** {@code repo:tag} as an index of {@code children} for {@code platforms}. */
  public RawManifest index(String repo, String tag, List<RawManifest> children,
      List<Platform> platforms) {
    return blobs.index(repo, tag, children, platforms);
  }
}
