package dev.refit.pipeline.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.refit.patches.image.LayerCache;
import dev.refit.patches.image.LayerIndexes;
import dev.refit.patches.image.TestLayer;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.store.fs.FsStore;
import dev.refit.registry.store.fs.StoreOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
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
    return diff(a, b, DiffOptions.defaults());
  }

  private ImageDiff diff(String a, String b, DiffOptions options) {
    return StoreDiffs.diff(store, cache, "app", a, "app", b, options);
  }

  private static PathDiff at(ImageDiff d, String path) {
    return d.paths().stream().filter(p -> p.path().equals(path)).findFirst().orElseThrow();
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
    assertThat(d.stats().sharedLayers()).isZero();
    // And the other way round, where the three-layer image is A.
    assertThat(diff("three", "one").same()).isTrue();
  }

  @Test
  void diff_changedFile_reportsModeContentAndUnified() {
    byte[] base = images.layer(TestLayer.create().dir("etc").file("etc/a.conf", "a=1\nb=2\n"));
    images.image("app", "a", base);
    images.image("app", "b", base, images.layer(TestLayer.create().dir("etc")
        .file("etc/a.conf", "a=1\nb=3\n", 0600, 0, 0).file("etc/new", "n\n")));

    ImageDiff d = diff("a", "b");

    assertThat(d.same()).isFalse();
    assertThat(d.paths()).extracting(PathDiff::path, PathDiff::change)
        .containsExactly(tuple("/etc/a.conf", Change.CHANGED), tuple("/etc/new", Change.ADDED));
    PathDiff changed = d.paths().get(0);
    assertThat(changed.differs()).containsExactly("mode", "content");
    assertThat(changed.a().octalMode()).isEqualTo("0644");
    assertThat(changed.b().octalMode()).isEqualTo("0600");
    assertThat(changed.a().sha256()).isEqualTo(Digest.sha256("a=1\nb=2\n".getBytes()).toString());
    assertThat(changed.unified()).isEqualTo("--- a/etc/a.conf\n+++ b/etc/a.conf\n@@ -1,2 +1,2 @@\n"
        + " a=1\n-b=2\n+b=3\n");
    assertThat(at(d, "/etc/new").unified()).isEqualTo("--- /dev/null\n+++ b/etc/new\n@@ -0,0 +1,1 @@\n+n\n");
    assertThat(d.stats().sharedLayers()).isEqualTo(1);
    assertThat(List.of(d.a().layers(), d.b().layers())).containsExactly(1, 2);
  }

  @Test
  void diff_whiteouts_removeFilesAndWholeDirectories() {
    byte[] base = images.layer(TestLayer.create().dir("etc").file("etc/keep", "k").file("etc/gone", "g")
        .dir("opt").dir("opt/d").file("opt/d/x", "x").dir("opt/d/sub").file("opt/d/sub/y", "y"));
    images.image("app", "a", base);
    images.image("app", "b", base, images.layer(TestLayer.create().dir("etc").whiteout("etc/gone")
        .dir("opt").whiteout("opt/d")));

    ImageDiff d = diff("a", "b");

    assertThat(d.paths()).extracting(PathDiff::path, PathDiff::change).containsExactly(
        tuple("/etc/gone", Change.REMOVED), tuple("/opt/d", Change.REMOVED),
        tuple("/opt/d/sub", Change.REMOVED), tuple("/opt/d/sub/y", Change.REMOVED),
        tuple("/opt/d/x", Change.REMOVED));
    assertThat(at(d, "/opt/d").a().type()).isEqualTo("dir");
    assertThat(at(d, "/etc/gone").b()).isNull();
  }

  @Test
  void diff_wholeDirectoryWhiteout_reportsItsChildrenUnderPathsGlob() {
    byte[] base = images.layer(TestLayer.create().dir("opt").dir("opt/d").file("opt/d/x", "x")
        .dir("opt/d/sub").file("opt/d/sub/y", "y"));
    images.image("app", "a", base);
    images.image("app", "b", base, images.layer(TestLayer.create().dir("opt").whiteout("opt/d")));

    ImageDiff d = diff("a", "b", DiffOptions.defaults().withGlobs(List.of("/opt/d/**")));

    assertThat(d.paths()).extracting(PathDiff::path).containsExactly("/opt/d/sub", "/opt/d/sub/y",
        "/opt/d/x");
  }

  @Test
  void diff_fileWhiteout_readsNoLayerBelowTheFile() {
    byte[] l1 = images.layer(TestLayer.create().dir("usr").file("usr/big", "lots of bytes"));
    byte[] l2 = images.layer(TestLayer.create().dir("etc").file("etc/gone", "g"));
    images.image("app", "a", l1, l2);
    images.image("app", "b", l1, l2, images.layer(TestLayer.create().dir("etc").whiteout("etc/gone")));

    ImageDiff d = diff("a", "b");

    assertThat(d.paths()).extracting(PathDiff::path, PathDiff::change)
        .containsExactly(tuple("/etc/gone", Change.REMOVED));
    assertThat(cache.indexBuilds(Digest.sha256(l1))).isZero();
    assertThat(cache.blobOpens(Digest.sha256(l1))).isZero();
  }

  @Test
  void diff_opaqueDirectory_hidesLowerChildrenOnly() {
    byte[] base = images.layer(TestLayer.create().dir("var").dir("var/d").file("var/d/x", "x")
        .file("var/d/y", "y").file("var/other", "o"));
    images.image("app", "a", base);
    images.image("app", "b", base, images.layer(TestLayer.create().dir("var").dir("var/d")
        .opaque("var/d").file("var/d/y", "y").file("var/d/z", "z")));

    ImageDiff d = diff("a", "b");

    assertThat(d.paths()).extracting(PathDiff::path, PathDiff::change).containsExactly(
        tuple("/var/d/x", Change.REMOVED), tuple("/var/d/z", Change.ADDED));
  }

  @Test
  void diff_modesOwnersAndSpecialBits_areEachReported() {
    byte[] base = images.layer(TestLayer.create().dir("usr", 0755, 0, 0)
        .file("usr/su", "s", 0755, 0, 0).file("usr/own", "o", 0644, 0, 0).dir("usr/tmp", 0777, 0, 0));
    images.image("app", "a", base);
    images.image("app", "b", base, images.layer(TestLayer.create().dir("usr", 0755, 0, 0)
        .file("usr/su", "s", 04755, 0, 0).file("usr/own", "o", 0644, 1000, 2000)
        .dir("usr/tmp", 01777, 0, 0)));

    ImageDiff d = diff("a", "b");

    assertThat(d.paths()).extracting(PathDiff::path, PathDiff::differs).containsExactly(
        tuple("/usr/own", List.of("uid", "gid")), tuple("/usr/su", List.of("mode")),
        tuple("/usr/tmp", List.of("mode")));
    assertThat(at(d, "/usr/su").b().octalMode()).isEqualTo("4755");
    assertThat(at(d, "/usr/tmp").b().octalMode()).isEqualTo("1777");
    assertThat(at(d, "/usr/own").b().uid()).isEqualTo(1000);
    assertThat(at(d, "/usr/own").b().gid()).isEqualTo(2000);
  }

  @Test
  void diff_linksAndTypeChanges() {
    byte[] base = images.layer(TestLayer.create().dir("bin").file("bin/busybox", "bb", 0755, 0, 0)
        .symlink("bin/sh", "busybox").hardlink("bin/ls", "bin/busybox").file("bin/cat", "cat")
        .dir("bin/d").file("bin/d/inner", "i").special("bin/pipe", TarArchiveEntry.LF_FIFO, 0644));
    images.image("app", "a", base);
    images.image("app", "b", base, images.layer(TestLayer.create().dir("bin")
        .symlink("bin/sh", "bash").hardlink("bin/ls", "bin/cat").symlink("bin/cat", "busybox")
        .file("bin/d", "now a file").special("bin/pipe", TarArchiveEntry.LF_CHR, 0600)));

    ImageDiff d = diff("a", "b");

    assertThat(d.paths()).extracting(PathDiff::path, PathDiff::change, PathDiff::differs).containsExactly(
        tuple("/bin/cat", Change.CHANGED, List.of("type", "size", "linkTarget")),
        tuple("/bin/d", Change.CHANGED, List.of("type", "mode", "size")),
        tuple("/bin/d/inner", Change.REMOVED, List.of()),
        tuple("/bin/ls", Change.CHANGED, List.of("linkTarget")),
        tuple("/bin/pipe", Change.CHANGED, List.of("type", "mode")),
        tuple("/bin/sh", Change.CHANGED, List.of("linkTarget")));
    assertThat(at(d, "/bin/sh").b().linkTarget()).isEqualTo("bash");
    assertThat(at(d, "/bin/pipe").a().type()).isEqualTo("fifo");
    assertThat(at(d, "/bin/pipe").b().type()).isEqualTo("char");
    assertThat(at(d, "/bin/ls").a().type()).isEqualTo("hardlink");
    assertThat(at(d, "/bin/cat").b().sha256()).isNull();
  }

  @Test
  void diff_config_reportsEachChangedField() {
    byte[] base = images.layer(TestLayer.create().dir("etc"));
    images.image("app", "a", DiffImages.BASE_CONFIG, base);
    images.image("app", "b", "{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\","
        + "\"config\":{\"User\":\"nova\",\"Env\":[\"PATH=/usr/bin\",\"X=1\"],\"Cmd\":[\"sh\"],"
        + "\"Entrypoint\":[\"/init\"],\"WorkingDir\":\"/srv\",\"Labels\":{\"apex\":\"yes\"},"
        + "\"ExposedPorts\":{\"8774/tcp\":{}},\"Volumes\":{\"/data\":{}}},"
        + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}", base);

    ImageDiff d = diff("a", "b", DiffOptions.defaults());

    assertThat(d.paths()).isEmpty();
    assertThat(d.config()).extracting(ConfigDiff::field).containsExactly("User", "Env",
        "Entrypoint", "WorkingDir", "Labels", "ExposedPorts", "Volumes", "platform");
    assertThat(d.config().get(0).a()).isNull();
    assertThat(d.config().get(0).b().asText()).isEqualTo("nova");
    assertThat(d.config().get(1).b().toString()).isEqualTo("[\"PATH=/usr/bin\",\"X=1\"]");
    assertThat(d.config().get(7).b().asText()).isEqualTo("linux/arm64/v8");
    assertThat(DiffTable.render(d)).contains("  User: (unset) -> \"nova\"\n")
        .contains("  Labels: +apex=yes\n").contains("  platform: \"linux/amd64\" -> \"linux/arm64/v8\"\n");
    assertThat(d.same()).isFalse();
  }

  @Test
  void diff_dpkgStatus_reportsPackagesAddedRemovedAndChanged() {
    String status = "Package: bash\nStatus: install ok installed\nArchitecture: amd64\nVersion: 5.1-2\n"
        + "Description: shell\n long text\n\nPackage: vim\nStatus: install ok installed\nVersion: 9.0\n\n"
        + "Package: old\nStatus: deinstall ok config-files\nVersion: 1\n";
    String status2 = "Package: bash\nStatus: install ok installed\nArchitecture: amd64\nVersion: 5.2-1\n\n"
        + "Package: curl\nStatus: install ok installed\nVersion: 7.88\n";
    byte[] base = images.layer(TestLayer.create().dir("var").dir("var/lib").dir("var/lib/dpkg")
        .file("var/lib/dpkg/status", status));
    images.image("app", "a", base);
    images.image("app", "b", base, images.layer(TestLayer.create().dir("var").dir("var/lib")
        .dir("var/lib/dpkg").file("var/lib/dpkg/status", status2)));

    ImageDiff d = diff("a", "b", DiffOptions.defaults().withGlobs(List.of("/etc/**")));

    assertThat(d.paths()).isEmpty(); // --paths leaves the package comparison alone
    assertThat(d.packages()).extracting(PackageDiff::name, PackageDiff::change, PackageDiff::a,
        PackageDiff::b).containsExactly(tuple("bash", Change.CHANGED, "5.1-2", "5.2-1"),
        tuple("curl", Change.ADDED, null, "7.88"), tuple("vim", Change.REMOVED, "9.0", null));
  }

  @Test
  void diff_pathsGlob_restrictsThePathList() {
    byte[] base = images.layer(TestLayer.create().dir("etc").dir("usr").file("etc/a", "1").file("usr/b", "1"));
    images.image("app", "a", base);
    images.image("app", "b", base, images.layer(TestLayer.create().dir("etc").dir("usr")
        .file("etc/a", "2").file("usr/b", "2")));

    assertThat(diff("a", "b", DiffOptions.defaults().withGlobs(List.of("/etc/**"))).paths())
        .extracting(PathDiff::path).containsExactly("/etc/a");
    assertThat(diff("a", "b", DiffOptions.defaults().withGlobs(List.of("/nothing/*"))).same()).isTrue();
    assertThat(diff("a", "b").paths()).extracting(PathDiff::path).containsExactly("/etc/a", "/usr/b");
  }

  @Test
  void diff_sharedLowerLayers_areNotOpened() {
    byte[] l1 = images.layer(TestLayer.create().dir("usr").file("usr/big", "lots of bytes"));
    byte[] l2 = images.layer(TestLayer.create().dir("etc").file("etc/nova.conf", "debug=false\n"));
    images.image("app", "a", l1, l2);
    images.image("app", "b", l1, l2, images.layer(TestLayer.create().dir("etc")
        .file("etc/nova.conf", "debug=true\n")));
    Digest d1 = Digest.sha256(l1);
    Digest d2 = Digest.sha256(l2);

    ImageDiff d = diff("a", "b");

    assertThat(d.paths()).extracting(PathDiff::path).containsExactly("/etc/nova.conf");
    assertThat(cache.blobOpens(d1)).isZero();
    assertThat(cache.indexBuilds(d1)).isZero();
    assertThat(cache.blobOpens(d2)).isEqualTo(1); // the lower version of etc/nova.conf
    assertThat(d.stats().sharedLayers()).isEqualTo(2);
    // B: its own top layer settles the path; A: its top layer (l2) does. l1 is never read.
    assertThat(d.stats().layersRead()).isEqualTo(1 + 1);
  }
}
