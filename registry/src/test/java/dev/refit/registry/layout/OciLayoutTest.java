package dev.refit.registry.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.DigestMismatchException;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.oci.RawManifest;
import dev.refit.registry.store.BlobInfo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciLayoutTest {
  @TempDir Path dir;

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static String sha256(byte[] b) throws Exception {
    return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  /** Everything in the layout that is not a committed blob or the two layout files. */
  List<Path> strayFiles() throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().equals("oci-layout"))
          .filter(p -> !p.getFileName().toString().equals("index.json"))
          .filter(p -> !dir.relativize(p).startsWith("blobs"))
          .toList();
    }
  }

  @Test
  void create_writesMarkerAndEmptyIndex_andOpenAcceptsIt() throws Exception {
    Path root = dir.resolve("new/layout");
    OciLayout created = OciLayout.create(root);
    assertThat(Files.readString(root.resolve("oci-layout"))).isEqualTo("{\"imageLayoutVersion\":\"1.0.0\"}");
    assertThat(Files.isDirectory(root.resolve("blobs/sha256"))).isTrue();
    assertThat(created.readIndex().manifests()).isEmpty();
    assertThat(created.readIndex().mediaType()).isEqualTo(MediaType.OCI_INDEX);
    assertThat(OciLayout.open(root).readIndex()).isEqualTo(created.readIndex());
    // create on an existing layout opens it and keeps its content
    created.addManifest(Descriptor.of(MediaType.OCI_MANIFEST, Digest.parse("sha256:" + "1".repeat(64)), 3), "x");
    assertThat(OciLayout.create(root).find("x")).isPresent();
  }

  @Test
  void open_plainDirectory_failsNamingTheMissingFile() {
    assertThatThrownBy(() -> OciLayout.open(dir))
        .isInstanceOf(OciLayoutException.class)
        .hasMessageContaining("is not an OCI image layout: it has no oci-layout file");
  }

  @Test
  void open_unsupportedVersionOrBadJson_fails() throws Exception {
    Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[]}");
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"2.0.0\"}");
    assertThatThrownBy(() -> OciLayout.open(dir)).hasMessageContaining("unsupported imageLayoutVersion '2.0.0'");
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":");
    assertThatThrownBy(() -> OciLayout.open(dir)).isInstanceOf(OciLayoutException.class)
        .hasMessageContaining("is not valid JSON at line 1");
  }

  @Test
  void writeBlob_verified_isVisibleAtContentAddressedPath() throws Exception {
    OciLayout layout = OciLayout.create(dir);
    byte[] data = random(3 * 1024 * 1024 + 17, 1);
    Digest expected = Digest.parse(sha256(data));
    BlobInfo info = layout.writeBlob(new ByteArrayInputStream(data), expected);
    assertThat(info.digest()).isEqualTo(expected);
    assertThat(info.size()).isEqualTo(data.length);
    assertThat(info.path()).isEqualTo(dir.resolve("blobs/sha256/" + expected.hex()));
    assertThat(Files.readAllBytes(info.path())).isEqualTo(data);
    assertThat(layout.hasBlob(expected)).isTrue();
    assertThat(layout.blobSize(expected)).isEqualTo(data.length);
    try (InputStream in = layout.openBlob(expected)) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
    assertThat(strayFiles()).isEmpty();
  }

  @Test
  void writeBlob_withoutExpected_hashesWithSha256() throws Exception {
    OciLayout layout = OciLayout.create(dir);
    byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
    BlobInfo info = layout.writeBlob(new ByteArrayInputStream(data), null);
    assertThat(info.digest().toString()).isEqualTo(sha256(data));
  }

  @Test
  void writeBlob_sha512_storedUnderItsAlgorithm() throws Exception {
    OciLayout layout = OciLayout.create(dir);
    byte[] data = random(1000, 2);
    String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(data));
    BlobInfo info = layout.writeBlob(new ByteArrayInputStream(data), Digest.parse("sha512:" + hex));
    assertThat(info.path()).isEqualTo(dir.resolve("blobs/sha512/" + hex));
  }

  @Test
  void writeBlob_digestMismatch_leavesNothing() throws Exception {
    OciLayout layout = OciLayout.create(dir);
    byte[] data = random(100_000, 3);
    Digest claimed = Digest.parse(sha256(random(10, 4)));
    assertThatThrownBy(() -> layout.writeBlob(new ByteArrayInputStream(data), claimed))
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining(claimed.toString())
        .hasMessageContaining(sha256(data));
    assertThat(layout.hasBlob(claimed)).isFalse();
    assertThat(layout.hasBlob(Digest.parse(sha256(data)))).isFalse();
    assertThat(strayFiles()).isEmpty();
    try (Stream<Path> blobs = Files.list(dir.resolve("blobs/sha256"))) {
      assertThat(blobs).isEmpty();
    }
  }

  @Test
  void writeBlob_streamFailsMidway_leavesNothing() throws Exception {
    OciLayout layout = OciLayout.create(dir);
    InputStream failing = new InputStream() {
      int n;

      @Override
      public int read() throws IOException {
        if (n++ > 200_000) {
          throw new IOException("connection reset");
        }
        return 7;
      }
    };
    assertThatThrownBy(() -> layout.writeBlob(failing, null))
        .isInstanceOf(UncheckedIOException.class)
        .hasRootCauseMessage("connection reset");
    assertThat(strayFiles()).isEmpty();
  }

  @Test
  void writeBlob_sameBlobConcurrently_allSucceedOneFile() throws Exception {
    OciLayout layout = OciLayout.create(dir);
    byte[] data = random(500_000, 5);
    Digest d = Digest.parse(sha256(data));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<BlobInfo>> results = new java.util.ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(pool.submit(() -> layout.writeBlob(new ByteArrayInputStream(data), d)));
      }
      for (Future<BlobInfo> f : results) {
        assertThat(f.get().digest()).isEqualTo(d);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(Files.readAllBytes(layout.blobPath(d))).isEqualTo(data);
    assertThat(strayFiles()).isEmpty();
  }

  @Test
  void addManifest_resolve_roundTripThroughAFreshInstance() throws Exception {
    OciLayout layout = OciLayout.create(dir);
    Descriptor config = Descriptor.of(MediaType.OCI_CONFIG, layout.writeBlob(new ByteArrayInputStream(random(50, 6)), null).digest(), 50);
    RawManifest m1 = Manifest.of(config, List.of()).toRaw();
    RawManifest m2 = Manifest.of(config, List.of()).withAnnotations(Map.of("v", "2")).toRaw();
    Descriptor d1 = layout.writeManifest(m1);
    Descriptor d2 = layout.writeManifest(m2);
    layout.addManifest(d1, "v1");
    layout.addManifest(d2, "latest");

    OciLayout reopened = OciLayout.open(dir);
    Descriptor v1 = reopened.resolve("v1");
    assertThat(v1.digest()).isEqualTo(m1.digest());
    assertThat(v1.annotations()).containsEntry(OciLayout.REF_NAME, "v1");
    assertThat(reopened.readManifest(v1)).isEqualTo(m1);
    assertThat(reopened.resolve(1).digest()).isEqualTo(m2.digest());

    // moving a name replaces its entry instead of adding a second one
    reopened.addManifest(d2, "v1");
    assertThat(reopened.readIndex().manifests()).hasSize(2);
    assertThat(reopened.resolve("v1").digest()).isEqualTo(m2.digest());
    // an unnamed manifest listed twice stays listed once
    reopened.addManifest(d1);
    reopened.addManifest(d1);
    assertThat(reopened.readIndex().manifests()).hasSize(3);

    assertThatThrownBy(() -> reopened.resolve("nope"))
        .isInstanceOf(OciLayoutException.class)
        .hasMessageContaining("no image named 'nope'")
        .hasMessageContaining("latest, v1, (unnamed)");
    assertThatThrownBy(() -> reopened.resolve(null)).hasMessageContaining("holds 3 images");
    assertThatThrownBy(() -> reopened.resolve(3)).hasMessageContaining("index.json has 3 entries");
    assertThat(strayFiles()).isEmpty();
  }

  @Test
  void open_layoutWrittenByHand_resolvesAndReadsManifest() throws Exception {
    byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
        .getBytes(StandardCharsets.UTF_8);
    String configDigest = sha256(config);
    byte[] manifest = ("{\n  \"schemaVersion\": 2,\n  \"mediaType\": \"application/vnd.oci.image.manifest.v1+json\",\n"
        + "  \"config\": {\"mediaType\": \"application/vnd.oci.image.config.v1+json\", \"digest\": \""
        + configDigest + "\", \"size\": " + config.length + "},\n  \"layers\": []\n}\n")
        .getBytes(StandardCharsets.UTF_8);
    String manifestDigest = sha256(manifest);
    Files.createDirectories(dir.resolve("blobs/sha256"));
    Files.write(dir.resolve("blobs/sha256/" + configDigest.substring(7)), config);
    Files.write(dir.resolve("blobs/sha256/" + manifestDigest.substring(7)), manifest);
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\": \"1.0.0\"}\n");
    Files.writeString(dir.resolve("index.json"), """
        {
          "schemaVersion": 2,
          "manifests": [
            {
              "mediaType": "application/vnd.oci.image.manifest.v1+json",
              "digest": "%s",
              "size": %d,
              "annotations": {"org.opencontainers.image.ref.name": "1.0"}
            }
          ]
        }
        """.formatted(manifestDigest, manifest.length));

    OciLayout layout = OciLayout.open(dir);
    Descriptor d = layout.resolve(null);
    assertThat(layout.resolve("1.0")).isEqualTo(d);
    RawManifest raw = layout.readManifest(d);
    assertThat(raw.bytes()).isEqualTo(manifest);
    Manifest parsed = Manifest.parse(raw.bytes());
    assertThat(parsed.config().digest().toString()).isEqualTo(configDigest);
    assertThat(layout.hasBlob(parsed.config().digest())).isTrue();
  }

  @Test
  void readManifest_corruptBlob_reported() throws Exception {
    OciLayout layout = OciLayout.create(dir);
    byte[] real = "{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8);
    Digest d = Digest.parse(sha256(real));
    Files.write(layout.blobPath(d), "{\"schemaVersion\":3}".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> layout.readManifest(Descriptor.of(MediaType.OCI_MANIFEST, d, real.length)))
        .isInstanceOf(OciLayoutException.class)
        .hasMessageContaining("does not hash to its name");
    assertThatThrownBy(() -> layout.readManifest(Descriptor.of(MediaType.OCI_MANIFEST, d, 5)))
        .hasMessageContaining("descriptor says 5");
    Digest absent = Digest.parse(sha256(new byte[1]));
    assertThatThrownBy(() -> layout.openBlob(absent)).hasMessageContaining("is not in OCI layout");
  }
}
