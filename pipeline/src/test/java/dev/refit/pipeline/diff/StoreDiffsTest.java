package dev.refit.pipeline.diff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.patches.image.LayerCache;
import dev.refit.patches.image.LayerIndexes;
import dev.refit.patches.image.TestLayer;
import dev.refit.registry.store.fs.FsStore;
import dev.refit.registry.store.fs.StoreOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreDiffsTest {
  @TempDir Path tmp;
  FsStore store;
  DiffImages images;
  LayerCache cache;

  @BeforeEach
  void setUp() throws Exception {
    store = FsStore.open(tmp.resolve("store"), StoreOptions.defaults());
    images = new DiffImages(store, Files.createDirectories(tmp.resolve("layers")));
    cache = new LayerCache(tmp.resolve("run"), LayerIndexes.in(tmp.resolve("cache")));
  }

  private ImageDiff diff(String a, String b) {
    return StoreDiffs.diff(store, cache, "app", a, "app", b, DiffOptions.defaults());
  }

  @Test
  void diff_sameFilesystemInOneAndThreeLayers_isSame() {
    images.image("app", "one", images.layer(TestLayer.create().dir("etc").file("etc/a.conf", "a=1\n")
        .dir("usr").dir("usr/bin").file("usr/bin/tool", "#!/bin/sh\n", 0755, 0, 0)
        .symlink("usr/bin/t", "tool")));
    images.image("app", "three",
        images.layer(TestLayer.create().dir("etc").file("etc/a.conf", "old\n").file("etc/gone", "x")),
        images.layer(TestLayer.create().dir("usr").dir("usr/bin").file("usr/bin/tool", "#!/bin/sh\n", 0755, 0, 0)
            .dir("etc").whiteout("etc/gone")),
        images.layer(TestLayer.create().dir("etc").file("etc/a.conf", "a=1\n").symlink("usr/bin/t", "tool")));

    ImageDiff d = diff("one", "three");

    assertThat(d.paths()).isEmpty();
    assertThat(d.same()).isTrue();
  }

  @Test
  void diff_changedFile_reportsContentAndUnified() {
    byte[] base = images.layer(TestLayer.create().dir("etc").file("etc/a.conf", "a=1\nb=2\n"));
    images.image("app", "a", base);
    images.image("app", "b", base, images.layer(TestLayer.create().dir("etc")
        .file("etc/a.conf", "a=1\nb=3\n", 0600, 0, 0).file("etc/new", "n\n")));

    ImageDiff d = diff("a", "b");

    assertThat(d.same()).isFalse();
    assertThat(d.paths()).extracting(PathDiff::path, PathDiff::change)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("/etc/a.conf", Change.CHANGED),
            org.assertj.core.groups.Tuple.tuple("/etc/new", Change.ADDED));
    PathDiff changed = d.paths().get(0);
    assertThat(changed.differs()).containsExactly("mode", "content");
    assertThat(changed.a().octalMode()).isEqualTo("0644");
    assertThat(changed.b().octalMode()).isEqualTo("0600");
    assertThat(changed.unified()).isEqualTo("--- a/etc/a.conf\n+++ b/etc/a.conf\n@@ -1,2 +1,2 @@\n"
        + " a=1\n-b=2\n+b=3\n");
    assertThat(d.stats().sharedLayers()).isEqualTo(1);
    assertThat(List.of(d.a().layers(), d.b().layers())).containsExactly(1, 2);
  }
}
