package dev.refit.patches.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.patches.fs.EntryType;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerScannerTest {
  @TempDir Path tmp;

  private LayerScan scan(TestLayer layer, boolean gzip, PathRequest request) throws Exception {
    TestLayer.Built built = layer.write(tmp.resolve("l" + System.nanoTime()), gzip);
    try (InputStream in = Files.newInputStream(built.file())) {
      return LayerScanner.scan(in, "test", request, tmp.resolve("content"));
    }
  }

  @Test
  void scan_plainTar_readsRequestedFileAndMarkers() throws Exception {
    LayerScan s = scan(TestLayer.create().file("./etc/a.conf", "A").whiteout("etc/b.conf")
        .opaque("var/lib").file("etc/other", "O"), false, PathRequest.of(List.of("etc/a.conf")));

    assertThat(s.entries()).containsOnlyKeys("etc", "etc/a.conf");
    assertThat(s.entries().get("etc").type()).isEqualTo(EntryType.DIRECTORY);
    assertThat(Files.readString(s.contents().get("etc/a.conf"))).isEqualTo("A");
    assertThat(s.whiteouts()).containsExactly("etc/b.conf");
    assertThat(s.opaqueDirs()).containsExactly("var/lib");
  }

  @Test
  void scan_entryClimbingAboveRoot_refused() {
    assertThatThrownBy(() -> scan(TestLayer.create().file("../escape", "x"), true,
        PathRequest.of(List.of("escape"))))
        .isInstanceOf(ImageReadException.class).hasMessageContaining("unsafe entry name '../escape'");
  }

  @Test
  void scan_zstdLayer_refusedWithClearMessage() {
    byte[] zstd = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0, 0, 0, 0};
    assertThatThrownBy(() -> LayerScanner.scan(new ByteArrayInputStream(zstd), "sha256:abc",
        PathRequest.of(List.of("a")), tmp))
        .isInstanceOf(ImageReadException.class).hasMessageContaining("zstd")
        .hasMessageContaining("sha256:abc");
  }
}
