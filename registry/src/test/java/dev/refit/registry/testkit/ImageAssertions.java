package dev.refit.registry.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.refit.registry.layout.OciLayout;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.ImageConfig;
import dev.refit.registry.oci.Index;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.ManifestContent;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.oci.RawManifest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Test kit: checks that an image is complete and self-consistent (go-containerregistry's
 * {@code validate.Image}): every descriptor's size and digest match the bytes, the config's
 * diff_ids count equals the layer count, and each diff_id is the digest of the uncompressed layer
 * (gzip layers are decompressed to check). Blocking; stateless.
 *
 * <p>Hashes are computed here with {@link MessageDigest} while streaming, independently of the
 * code under test.
 */
public final class ImageAssertions {

  /** Opens a blob by digest from wherever the image lives (a layout, a store, a directory). */
  @FunctionalInterface
  public interface BlobOpener {
    InputStream open(Digest digest) throws IOException;
  }

  private ImageAssertions() {}

  /** Every image listed in the layout's index.json, recursively through nested indexes. */
  public static void assertValid(OciLayout layout) {
    List<Descriptor> entries = layout.readIndex().manifests();
    assertThat(entries).as("index.json of %s lists images", layout.root()).isNotEmpty();
    for (Descriptor d : entries) {
      assertValid(layout, d);
    }
  }

  /** The manifest or index {@code descriptor} names, and everything it references, in the layout. */
  public static void assertValid(OciLayout layout, Descriptor descriptor) {
    assertValid(descriptor, layout::openBlob, layout.root().toString());
  }

  /** An image written by {@link RandomImage}, checked against its files. */
  public static void assertValid(RandomImage.Image image) {
    Map<Digest, java.nio.file.Path> files = new HashMap<>();
    image.layers().forEach(l -> files.put(l.diffId(), l.file()));
    byte[] config = image.configBytes();
    byte[] manifest = image.manifest().bytes();
    BlobOpener opener = d -> {
      if (d.equals(image.config().digest())) {
        return new java.io.ByteArrayInputStream(config);
      }
      if (d.equals(image.manifest().digest())) {
        return new java.io.ByteArrayInputStream(manifest);
      }
      java.nio.file.Path f = files.get(d);
      if (f == null) {
        throw new IOException("no file for " + d);
      }
      return Files.newInputStream(f);
    };
    assertValid(image.manifestDescriptor(), opener, "random image");
  }

  /**
   * The manifest or index {@code descriptor} names, reading every blob through {@code blobs}.
   *
   * @param where names the source in failure messages
   */
  public static void assertValid(Descriptor descriptor, BlobOpener blobs, String where) {
    byte[] bytes = readVerified(descriptor, blobs, where);
    RawManifest raw = RawManifest.of(bytes, descriptor.mediaType());
    ManifestContent content = ManifestContent.parse(raw.bytes(), descriptor.mediaType());
    if (content instanceof Index index) {
      assertThat(index.manifests()).as("index %s in %s has manifests", descriptor.digest(), where)
          .isNotEmpty();
      for (Descriptor child : index.manifests()) {
        assertValid(child, blobs, where);
      }
      return;
    }
    Manifest manifest = (Manifest) content;
    byte[] configBytes = readVerified(manifest.config(), blobs, where);
    ImageConfig config = ImageConfig.parse(configBytes);
    List<Descriptor> layers = manifest.layers();
    assertThat(config.diffIds())
        .as("diff_ids in config %s vs layers in manifest %s (%s)", manifest.config().digest(),
            descriptor.digest(), where)
        .hasSameSizeAs(layers);
    if (!config.history().isEmpty()) {
      assertThat(config.layerHistoryCount())
          .as("non-empty history entries vs layers in %s (%s)", descriptor.digest(), where)
          .isEqualTo(layers.size());
    }
    for (int i = 0; i < layers.size(); i++) {
      Descriptor layer = layers.get(i);
      Digest diffId = hashLayer(layer, blobs, where);
      assertThat(diffId).as("diff_id of layer %d (%s) in %s", i, layer.digest(), where)
          .isEqualTo(config.diffIds().get(i));
    }
  }

  /** Reads a small blob, asserting size and digest. */
  private static byte[] readVerified(Descriptor d, BlobOpener blobs, String where) {
    byte[] bytes;
    try (InputStream in = open(blobs, d.digest(), "", where)) {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new AssertionError("cannot read " + d.digest() + " from " + where + ": " + e.getMessage(), e);
    }
    assertThat((long) bytes.length).as("size of %s in %s", d.digest(), where).isEqualTo(d.size());
    assertThat(hash(bytes, d.digest().algorithm().id())).as("digest of blob %s in %s", d.digest(), where)
        .isEqualTo(d.digest().hex());
    return bytes;
  }

  /**
   * Streams a layer once: checks its size and digest, and returns its diff_id (the digest of the
   * uncompressed bytes; gzip is decompressed on the fly).
   */
  private static Digest hashLayer(Descriptor layer, BlobOpener blobs, String where) {
    MessageDigest compressed = newHasher(layer.digest().algorithm().id());
    long[] count = {0};
    try (InputStream raw = open(blobs, layer.digest(), "layer ", where)) {
      InputStream counted = new java.io.FilterInputStream(raw) {
        @Override
        public int read() throws IOException {
          int b = super.read();
          if (b >= 0) {
            compressed.update((byte) b);
            count[0]++;
          }
          return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          int n = super.read(b, off, len);
          if (n > 0) {
            compressed.update(b, off, n);
            count[0] += n;
          }
          return n;
        }
      };
      MessageDigest uncompressed = newHasher("sha256");
      boolean gzip = isGzip(layer.mediaType());
      InputStream content = gzip ? new GZIPInputStream(counted, 64 * 1024) : counted;
      byte[] buf = new byte[64 * 1024];
      for (int n; (n = content.read(buf)) >= 0; ) {
        uncompressed.update(buf, 0, n);
      }
      // drain anything after the gzip trailer so the compressed digest covers the whole blob
      while (counted.read(buf) >= 0) {
        // keep reading
      }
      assertThat(count[0]).as("size of layer %s in %s", layer.digest(), where).isEqualTo(layer.size());
      assertThat(java.util.HexFormat.of().formatHex(compressed.digest()))
          .as("digest of layer %s in %s", layer.digest(), where).isEqualTo(layer.digest().hex());
      return Digest.of(Digest.Algorithm.SHA256, uncompressed.digest());
    } catch (IOException e) {
      return fail("cannot read layer " + layer.digest() + " from " + where + ": " + e.getMessage(), e);
    }
  }

  /** Opens a blob; a missing or unreadable blob is an assertion failure naming it. */
  private static InputStream open(BlobOpener blobs, Digest digest, String what, String where) {
    try {
      return blobs.open(digest);
    } catch (IOException | RuntimeException e) {
      throw new AssertionError("cannot read " + what + digest + " from " + where + ": " + e.getMessage(), e);
    }
  }

  private static boolean isGzip(String mediaType) {
    if (MediaType.OCI_LAYER_ZSTD.equals(mediaType)) {
      throw new AssertionError("zstd layers are not supported by ImageAssertions");
    }
    return mediaType != null && (mediaType.endsWith("+gzip") || mediaType.endsWith(".gzip"));
  }

  private static String hash(byte[] bytes, String algorithm) {
    return java.util.HexFormat.of().formatHex(newHasher(algorithm).digest(bytes));
  }

  private static MessageDigest newHasher(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm.equals("sha512") ? "SHA-512" : "SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

}
