package dev.refit.patches.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.patches.fs.EntryType;
import dev.refit.patches.fs.FileEntry;
import dev.refit.registry.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerIndexerTest {
  @TempDir Path tmp;

  private LayerIndex index(TestLayer layer, boolean gzip) throws Exception {
    TestLayer.Built built = layer.write(tmp.resolve("l" + System.nanoTime()), gzip);
    return LayerIndexer.build(built.file(), built.descriptor().digest(), "test");
  }

  @Test
  void build_plainTar_recordsEntriesMarkersAndDataOffsets() throws Exception {
    TestLayer layer = TestLayer.create().file("./etc/a.conf", "A", 04750, 7, 8)
        .whiteout("etc/b.conf").opaque("var/lib").file("etc/other", "O").symlink("etc/l", "a.conf");
    TestLayer.Built built = layer.write(tmp.resolve("plain.tar"), false);
    LayerIndex index = LayerIndexer.build(built.file(), built.descriptor().digest(), "test");

    assertThat(index.compression()).isEqualTo(LayerIndex.Compression.PLAIN);
    assertThat(index.checkpoints()).isEmpty();
    assertThat(index.whiteouts()).containsExactly("etc/b.conf");
    assertThat(index.opaqueDirs()).containsExactly("var/lib");
    LayerIndex.Entry a = index.entries().get(0);
    assertThat(a.file()).isEqualTo(new FileEntry("etc/a.conf", EntryType.FILE, 04750, 7, 8, 1, null));
    byte[] tar = Files.readAllBytes(built.file());
    assertThat(new String(tar, (int) a.dataOffset(), 1, StandardCharsets.UTF_8)).isEqualTo("A");
    assertThat(index.entries()).extracting(e -> e.file().type())
        .containsExactly(EntryType.FILE, EntryType.FILE, EntryType.SYMLINK);
  }

  @Test
  void select_request_wantsEntriesImpliedParentsAndAllMarkers() throws Exception {
    LayerIndex index = index(TestLayer.create().file("./etc/a.conf", "A").whiteout("etc/b.conf")
        .opaque("var/lib").file("etc/other", "O"), true);

    LayerIndex.Selection s = index.select(PathRequest.of(List.of("etc/a.conf")));

    assertThat(s.entries()).containsOnlyKeys("etc", "etc/a.conf");
    assertThat(s.entries().get("etc").file().type()).isEqualTo(EntryType.DIRECTORY);
    assertThat(s.whiteouts()).containsExactly("etc/b.conf");
    assertThat(s.opaqueDirs()).containsExactly("var/lib");
  }

  @Test
  void extract_gzipLayer_copiesRequestedFiles() throws Exception {
    LayerIndex index;
    TestLayer.Built built = TestLayer.create().file("a", "first").file("b", "second")
        .write(tmp.resolve("l.tar.gz"), true);
    index = LayerIndexer.build(built.file(), built.descriptor().digest(), "test");
    Map<String, LayerIndex.Entry> entries = index.select(PathRequest.of(List.of("a", "b"))).entries();

    LayerContents.Cost cost = LayerContents.extract(built.file(), index, List.of(
        new LayerContents.Target(entries.get("b"), tmp.resolve("b")),
        new LayerContents.Target(entries.get("a"), tmp.resolve("a"))), "test");

    assertThat(Files.readString(tmp.resolve("a")) + Files.readString(tmp.resolve("b")))
        .isEqualTo("firstsecond");
    assertThat(cost.inflations()).isEqualTo(1);
  }

  @Test
  void build_wrongDigest_refused() throws Exception {
    TestLayer.Built built = TestLayer.create().file("a", "1").write(tmp.resolve("l.tgz"), true);

    assertThatThrownBy(() -> LayerIndexer.build(built.file(), Digest.sha256(new byte[0]), "sha256:e3b0"))
        .isInstanceOf(ImageReadException.class).hasMessageContaining("does not match its digest");
  }

  @Test
  void build_entryClimbingAboveRoot_refused() {
    assertThatThrownBy(() -> index(TestLayer.create().file("../escape", "x"), true))
        .isInstanceOf(ImageReadException.class).hasMessageContaining("unsafe entry name '../escape'");
  }

  @Test
  void build_zstdLayer_refusedWithClearMessage() throws Exception {
    byte[] zstd = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0, 0, 0, 0};
    Path blob = Files.write(tmp.resolve("z"), zstd);

    assertThatThrownBy(() -> LayerIndexer.build(blob, Digest.sha256(zstd), "sha256:abc"))
        .isInstanceOf(ImageReadException.class).hasMessageContaining("zstd")
        .hasMessageContaining("sha256:abc");
  }
}
