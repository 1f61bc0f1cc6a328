package dev.refit.registry.testkit;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.registry.layout.OciLayout;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.ImageConfig;
import dev.refit.registry.oci.Index;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.oci.RawManifest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageAssertionsTest {
  @TempDir Path dir;

  @Test
  void assertValid_flippedLayerByte_failsOnLayerDigest() throws Exception {
    OciLayout layout = OciLayout.create(dir);
    RandomImage.Image image = RandomImage.intoLayout(layout, "x", 2, 10_000);
    Path layer = image.layers().get(1).file();
    byte[] bytes = Files.readAllBytes(layer);
    bytes[700] ^= 1;
    Files.write(layer, bytes);
    assertThatThrownBy(() -> ImageAssertions.assertValid(layout))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("digest of layer " + image.layers().get(1).diffId());
  }

  @Test
  void assertValid_truncatedLayer_failsOnSize() throws Exception {
    OciLayout layout = OciLayout.create(dir);
    RandomImage.Image image = RandomImage.intoLayout(layout, "x", 1, 10_000);
    try (FileChannel ch = FileChannel.open(image.layers().get(0).file(), StandardOpenOption.WRITE)) {
      ch.truncate(5000);
    }
    assertThatThrownBy(() -> ImageAssertions.assertValid(layout))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("size of layer");
  }

  @Test
  void assertValid_missingBlob_fails() throws Exception {
    OciLayout layout = OciLayout.create(dir);
    RandomImage.Image image = RandomImage.intoLayout(layout, "x", 1, 100);
    Files.delete(layout.blobPath(image.config().digest()));
    assertThatThrownBy(() -> ImageAssertions.assertValid(layout))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("cannot read " + image.config().digest());
  }

  @Test
  void assertValid_diffIdCountDiffersFromLayers_fails() throws Exception {
    OciLayout layout = OciLayout.create(dir);
    RandomImage.Image image = RandomImage.intoLayout(layout, "x", 2, 100);
    // drop the last layer from the manifest, keep the config's two diff_ids
    Manifest shorter = image.parsedManifest().withLayers(List.of(image.layerDescriptors().get(0)));
    Descriptor d = layout.writeManifest(shorter.toRaw());
    assertThatThrownBy(() -> ImageAssertions.assertValid(layout, d))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("diff_ids in config");
  }

  @Test
  void assertValid_gzipLayer_checksDiffIdOfUncompressedBytes() throws Exception {
    OciLayout layout = OciLayout.create(dir);
    byte[] tar = new byte[50_000];
    new Random(9).nextBytes(tar);
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(tar);
    }
    byte[] gzip = gz.toByteArray();
    Descriptor layer = Descriptor.of(MediaType.OCI_LAYER_GZIP, layout.writeBlob(new ByteArrayInputStream(gzip), null).digest(), gzip.length);
    Digest diffId = Digest.sha256(tar);

    Descriptor good = writeImage(layout, layer, diffId);
    assertThatCode(() -> ImageAssertions.assertValid(layout, good)).doesNotThrowAnyException();

    Descriptor bad = writeImage(layout, layer, layer.digest()); // compressed digest as diff_id: wrong
    assertThatThrownBy(() -> ImageAssertions.assertValid(layout, bad))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("diff_id of layer 0");
  }

  @Test
  void assertValid_indexOfTwoImages_checksChildren() throws Exception {
    OciLayout layout = OciLayout.create(dir);
    RandomImage.Image a = RandomImage.intoLayout(layout, "a", 1, 100);
    RandomImage.Image b = RandomImage.intoLayout(layout, "b", 2, 100);
    RawManifest index = Index.of(List.of(a.manifestDescriptor(), b.manifestDescriptor())).toRaw();
    Descriptor d = layout.writeManifest(index);
    layout.addManifest(d, "multi");
    assertThatCode(() -> ImageAssertions.assertValid(layout)).doesNotThrowAnyException();
    Files.delete(b.layers().get(1).file());
    assertThatThrownBy(() -> ImageAssertions.assertValid(layout, d))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("cannot read layer " + b.layers().get(1).diffId());
  }

  /** An image of one given layer whose config claims {@code diffId}. */
  private static Descriptor writeImage(OciLayout layout, Descriptor layer, Digest diffId) {
    byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
        + diffId + "\"]}}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    ImageConfig.parse(config); // the fixture itself must be a valid config
    Descriptor c = Descriptor.of(MediaType.OCI_CONFIG, layout.writeBlob(new ByteArrayInputStream(config), null).digest(), config.length);
    return layout.writeManifest(Manifest.of(c, List.of(layer)).toRaw());
  }
}
