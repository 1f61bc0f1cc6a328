package dev.refit.registry.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.registry.layout.OciLayout;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.ImageConfig;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.MediaType;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RandomImageTest {
  @TempDir Path dir;

  @Test
  void intoLayout_layersOfGivenSizes_validAndListedByName() throws Exception {
    OciLayout layout = OciLayout.create(dir);
    RandomImage.Image image = RandomImage.intoLayout(layout, "v1", 0, 1, 100_000, 1_500_000);

    assertThat(image.layers()).hasSize(4);
    assertThat(image.layers()).extracting(l -> l.descriptor().digest()).doesNotHaveDuplicates();
    assertThat(image.layers()).allSatisfy(l -> {
      assertThat(l.descriptor().mediaType()).isEqualTo(MediaType.OCI_LAYER);
      assertThat(l.diffId()).isEqualTo(l.descriptor().digest());
      assertThat(l.file()).isEqualTo(layout.blobPath(l.diffId()));
    });
    long[] payloads = {0, 1, 100_000, 1_500_000};
    for (int i = 0; i < payloads.length; i++) {
      try (InputStream in = Files.newInputStream(image.layers().get(i).file());
          TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
        TarArchiveEntry e = tar.getNextEntry();
        assertThat(e.getName()).isEqualTo("random/layer-" + i + ".bin");
        assertThat(e.getSize()).isEqualTo(payloads[i]);
        assertThat(tar.readAllBytes()).hasSize((int) payloads[i]);
        assertThat(tar.getNextEntry()).isNull();
      }
    }
    assertThat(layout.resolve("v1")).isEqualTo(
        image.manifestDescriptor().withAnnotations(java.util.Map.of(OciLayout.REF_NAME, "v1")));
    ImageConfig config = ImageConfig.parse(image.configBytes());
    assertThat(config.diffIds()).containsExactlyElementsOf(
        image.layers().stream().map(RandomImage.Layer::diffId).toList());
    Manifest m = Manifest.parse(layout.readManifest(layout.resolve("v1")).bytes());
    assertThat(m.config()).isEqualTo(image.config());
    assertThat(m.layers()).isEqualTo(image.layerDescriptors());

    ImageAssertions.assertValid(layout);
    ImageAssertions.assertValid(image);
    try (var s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("blobs", "index.json", "oci-layout");
    }
  }

  @Test
  void intoDirectory_writesFiles_matchingDescriptors() throws Exception {
    RandomImage.Image image = RandomImage.intoDirectory(dir.resolve("img"), 2, 4096);
    Path img = dir.resolve("img");
    assertThat(image.layers()).extracting(RandomImage.Layer::file)
        .containsExactly(img.resolve("layer-0.tar"), img.resolve("layer-1.tar"));
    byte[] manifest = Files.readAllBytes(img.resolve("manifest.json"));
    assertThat(sha256(manifest)).isEqualTo(image.manifestDescriptor().digest().hex());
    assertThat(Files.readAllBytes(img.resolve("config.json"))).isEqualTo(image.configBytes());
    for (RandomImage.Layer l : image.layers()) {
      byte[] bytes = Files.readAllBytes(l.file());
      assertThat(sha256(bytes)).isEqualTo(l.descriptor().digest().hex());
      assertThat((long) bytes.length).isEqualTo(l.descriptor().size());
    }
    ImageAssertions.assertValid(image);
  }

  @Test
  void intoLayout_layersAreIncompressibleAndStreamed() throws Exception {
    OciLayout layout = OciLayout.create(dir);
    // 24 MiB: written in 64 KiB chunks, never as one array
    RandomImage.Image image = RandomImage.intoLayout(layout, null, 1, 24L * 1024 * 1024);
    Path layer = image.layers().get(0).file();
    assertThat(Files.size(layer)).isGreaterThan(24L * 1024 * 1024);
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (InputStream in = Files.newInputStream(layer); GZIPOutputStream gz = new GZIPOutputStream(sink)) {
      byte[] first = in.readNBytes(1024 * 1024);
      gz.write(first);
    }
    assertThat(sink.size()).as("gzip of 1 MiB random payload").isGreaterThan(1024 * 1024 * 99 / 100);
    assertThat(layout.resolve(null).digest()).isEqualTo(image.manifestDescriptor().digest());
  }

  @Test
  void intoLayout_countAndSizeOverload_twoImagesDiffer() {
    OciLayout layout = OciLayout.create(dir);
    RandomImage.Image a = RandomImage.intoLayout(layout, "a", 3, 1000);
    RandomImage.Image b = RandomImage.intoLayout(layout, "b", 3, 1000);
    assertThat(a.layers()).hasSize(3);
    assertThat(a.manifestDescriptor().digest()).isNotEqualTo(b.manifestDescriptor().digest());
    assertThat(layout.readIndex().manifests()).extracting(Descriptor::digest)
        .containsExactly(a.manifestDescriptor().digest(), b.manifestDescriptor().digest());
    ImageAssertions.assertValid(layout);
  }

  static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  static Digest digest(byte[] b) throws Exception {
    return Digest.parse("sha256:" + sha256(b));
  }
}
