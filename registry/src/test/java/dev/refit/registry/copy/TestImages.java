package dev.refit.registry.copy;

import dev.refit.registry.layout.OciLayout;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.Index;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.oci.Platform;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.store.BlobWriter;
import dev.refit.registry.store.fs.FsStore;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Writes small random images straight into an FsStore or an OCI layout, for copy tests. Blocking; test threads only. */
final class TestImages {
  /** Where generated content goes. */
  interface Target {
    void blob(byte[] bytes, Digest digest);

    void manifest(RawManifest raw, String tag);
  }

  private final Target target;
  private final Random random;

  TestImages(FsStore store, String repo, long seed) {
    this(new Target() {
      public void blob(byte[] bytes, Digest digest) {
        try (BlobWriter w = store.create()) {
          w.write(ByteBuffer.wrap(bytes));
          w.commit(digest);
        }
        store.link(repo, digest);
      }

      public void manifest(RawManifest raw, String tag) {
        store.put(repo, raw, tag);
      }
    }, seed);
  }

  TestImages(OciLayout layout, long seed) {
    this(new Target() {
      public void blob(byte[] bytes, Digest digest) {
        layout.writeBlob(new ByteArrayInputStream(bytes), digest);
      }

      public void manifest(RawManifest raw, String tag) {
        Descriptor d = layout.writeManifest(raw);
        if (tag != null) {
          layout.addManifest(d, tag);
        }
      }
    }, seed);
  }

  TestImages(Target target, long seed) {
    this.target = target;
    this.random = new Random(seed);
  }

  Descriptor layer(int size) {
    byte[] b = new byte[size];
    random.nextBytes(b);
    return blob(b, MediaType.OCI_LAYER);
  }

  Descriptor blob(byte[] bytes, String mediaType) {
    Digest digest = Digest.sha256(bytes);
    target.blob(bytes, digest);
    return Descriptor.of(mediaType, digest, bytes.length);
  }

  /** An image of {@code layers} (shared descriptors allowed) plus a fresh config for {@code platform}. */
  RawManifest image(Platform platform, List<Descriptor> layers, String tag) {
    String config = "{\"architecture\":\"" + platform.architecture() + "\",\"os\":\"" + platform.os()
        + "\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"nonce\":" + random.nextLong() + "}";
    Descriptor cfg = blob(config.getBytes(StandardCharsets.UTF_8), MediaType.OCI_CONFIG);
    RawManifest raw = Manifest.of(cfg, layers).toRaw();
    target.manifest(raw, tag);
    return raw;
  }

  RawManifest index(List<RawManifest> children, List<Platform> platforms, String tag) {
    List<Descriptor> entries = new ArrayList<>();
    for (int i = 0; i < children.size(); i++) {
      entries.add(children.get(i).descriptor().withPlatform(platforms.get(i)));
    }
    RawManifest raw = Index.of(entries).toRaw();
    target.manifest(raw, tag);
    return raw;
  }
}
