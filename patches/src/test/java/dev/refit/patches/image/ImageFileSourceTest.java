package dev.refit.patches.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.patches.fs.EntryType;
import dev.refit.patches.fs.FileEntry;
import dev.refit.registry.testkit.InProcessRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFileSourceTest {
  @TempDir Path tmp;
  private InProcessRegistry registry;
  private TestImages images;
  private LayerCache cache;

  @BeforeEach
  void start() throws IOException {
    registry = InProcessRegistry.start(Files.createDirectories(tmp.resolve("registry")));
    images = new TestImages(registry, Files.createDirectories(tmp.resolve("blobs")));
    cache = new LayerCache(tmp.resolve("cache"));
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  private RegistryImage load(String repo) {
    return RegistryImage.load(images.blocking(), repo, repo, "latest", tmp.resolve("pull"));
  }

  private static String read(ImageFileSource fs, String path) throws IOException {
    try (InputStream in = fs.open(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void open_fileInUpperLayer_stopsBeforeLowerLayers() throws Exception {
    TestLayer.Built base = images.layer(TestLayer.create().dir("nova").file("nova/a.py", "v1"));
    TestLayer.Built top = images.layer(TestLayer.create().file("nova/a.py", "v2", 0640, 42, 43));
    images.push("nova-api", "latest", "2018-05-02T00:00:00Z", null, List.of(base, top));

    ImageFileSource fs = ImageFileSource.open(load("nova-api"), PathRequest.of(List.of("nova/a.py")), cache);

    assertThat(read(fs, "nova/a.py")).isEqualTo("v2");
    assertThat(fs.entry("nova/a.py")).contains(new FileEntry("nova/a.py", EntryType.FILE, 0640, 42, 43, 2, null));
    assertThat(fs.layersComposed()).isEqualTo(1);
    assertThat(cache.indexBuilds(base.descriptor().digest())).isZero();
    assertThat(cache.blobOpens(base.descriptor().digest())).isZero();
    assertThat(cache.indexBuilds(top.descriptor().digest())).isEqualTo(1);
  }

  @Test
  void entry_whiteoutInUpperLayer_hidesLowerFile() throws Exception {
    TestLayer.Built base = images.layer(TestLayer.create().dir("nova")
        .file("nova/a.py", "a").file("nova/b.py", "b"));
    TestLayer.Built top = images.layer(TestLayer.create().whiteout("nova/b.py"));
    images.push("nova-api", "latest", null, null, List.of(base, top));

    ImageFileSource fs = ImageFileSource.open(load("nova-api"),
        PathRequest.of(List.of("nova/a.py", "nova/b.py")), cache);

    assertThat(fs.entry("nova/b.py")).isEmpty();
    assertThat(read(fs, "nova/a.py")).isEqualTo("a");
    assertThat(fs.list("nova")).extracting(FileEntry::name).containsExactly("a.py");
  }

  @Test
  void entry_whiteoutOfDirectory_hidesItsDescendantsAndStopsEarly() throws Exception {
    TestLayer.Built base = images.layer(TestLayer.create().file("opt/old/x/y.txt", "y"));
    TestLayer.Built top = images.layer(TestLayer.create().whiteout("opt/old"));
    images.push("img", "latest", null, null, List.of(base, top));

    ImageFileSource fs = ImageFileSource.open(load("img"), PathRequest.of(List.of("opt/old/x/y.txt")), cache);

    assertThat(fs.entry("opt/old/x/y.txt")).isEmpty();
    assertThat(cache.indexBuilds(base.descriptor().digest())).isZero();
  }

  @Test
  void list_opaqueDirectory_hidesLowerChildrenButKeepsItsOwn() throws Exception {
    TestLayer.Built base = images.layer(TestLayer.create().dir("etc/x")
        .file("etc/x/old.conf", "o").file("etc/keep.conf", "k"));
    TestLayer.Built top = images.layer(TestLayer.create().dir("etc/x").opaque("etc/x")
        .file("etc/x/new.conf", "n"));
    images.push("img", "latest", null, null, List.of(base, top));

    ImageFileSource fs = ImageFileSource.open(load("img"),
        PathRequest.empty().withListDirs(List.of("etc/x", "etc")), cache);

    assertThat(fs.list("etc/x")).extracting(FileEntry::name).containsExactly("new.conf");
    assertThat(fs.list("etc")).extracting(FileEntry::name).containsExactly("keep.conf", "x");
  }

  @Test
  void entry_whiteoutInSameLayer_doesNotHideThatLayersFile() throws Exception {
    TestLayer.Built base = images.layer(TestLayer.create().file("a/f", "old"));
    TestLayer.Built top = images.layer(TestLayer.create().whiteout("a/f").file("a/f", "new"));
    images.push("img", "latest", null, null, List.of(base, top));

    ImageFileSource fs = ImageFileSource.open(load("img"), PathRequest.of(List.of("a/f")), cache);

    assertThat(read(fs, "a/f")).isEqualTo("new");
  }

  @Test
  void entry_fileReplacingDirectory_hidesLowerDescendants() throws Exception {
    TestLayer.Built base = images.layer(TestLayer.create().dir("usr/x").file("usr/x/f", "f"));
    TestLayer.Built top = images.layer(TestLayer.create().file("usr/x", "now a file"));
    images.push("img", "latest", null, null, List.of(base, top));

    ImageFileSource fs = ImageFileSource.open(load("img"), PathRequest.of(List.of("usr/x/f")), cache);

    assertThat(fs.entry("usr/x/f")).isEmpty();
    assertThat(fs.entry("usr/x")).get().extracting(FileEntry::type).isEqualTo(EntryType.FILE);
  }

  @Test
  void entry_symlink_isReportedNotFollowed() throws Exception {
    TestLayer.Built base = images.layer(TestLayer.create().file("usr/lib/real.py", "r")
        .symlink("usr/lib/link.py", "real.py"));
    images.push("img", "latest", null, null, List.of(base));

    ImageFileSource fs = ImageFileSource.open(load("img"), PathRequest.of(List.of("usr/lib/link.py")), cache);

    assertThat(fs.entry("usr/lib/link.py")).get().satisfies(e -> {
      assertThat(e.type()).isEqualTo(EntryType.SYMLINK);
      assertThat(e.linkTarget()).isEqualTo("real.py");
    });
    assertThatThrownBy(() -> fs.open("usr/lib/link.py")).isInstanceOf(IOException.class)
        .hasMessageContaining("SYMLINK");
  }

  @Test
  void open_hardlink_readsItsTargetsContent() throws Exception {
    TestLayer.Built base = images.layer(TestLayer.create().file("bin/a", "same bytes")
        .hardlink("bin/b", "bin/a"));
    images.push("img", "latest", null, null, List.of(base));

    ImageFileSource fs = ImageFileSource.open(load("img"), PathRequest.of(List.of("bin/b")), cache);

    assertThat(fs.entry("bin/b")).get().extracting(FileEntry::type).isEqualTo(EntryType.HARDLINK);
    assertThat(read(fs, "bin/b")).isEqualTo("same bytes");
  }

  @Test
  void open_sharedBaseLayerAcrossImages_readOnce() throws Exception {
    TestLayer.Built base = images.layer(TestLayer.create().file("nova/a.py", "base"));
    TestLayer.Built api = images.layer(TestLayer.create().file("etc/api", "1"));
    TestLayer.Built compute = images.layer(TestLayer.create().file("etc/compute", "2"));
    images.push("nova-api", "latest", null, null, List.of(base, api));
    images.push("nova-compute", "latest", null, null, List.of(base, compute));
    PathRequest request = PathRequest.of(List.of("nova/a.py"));

    ImageFileSource a = ImageFileSource.open(load("nova-api"), request, cache);
    ImageFileSource b = ImageFileSource.open(load("nova-compute"), request, cache);

    assertThat(read(a, "nova/a.py")).isEqualTo("base");
    assertThat(read(b, "nova/a.py")).isEqualTo("base");
    assertThat(cache.indexBuilds(base.descriptor().digest())).isEqualTo(1);
    assertThat(cache.totalIndexBuilds()).isEqualTo(3);
  }

  @Test
  void open_laterRequestNotCovered_answeredFromTheIndexWithoutAnotherPass() throws Exception {
    TestLayer.Built base = images.layer(TestLayer.create().file("a", "1").file("b", "2"));
    images.push("one", "latest", null, null, List.of(base));
    images.push("two", "latest", null, null, List.of(base));

    ImageFileSource.open(load("one"), PathRequest.of(List.of("a")), cache);
    ImageFileSource two = ImageFileSource.open(load("two"), PathRequest.of(List.of("b")), cache);
    ImageFileSource again = ImageFileSource.open(load("one"), PathRequest.of(List.of("a", "b")), cache);

    assertThat(read(two, "b")).isEqualTo("2");
    assertThat(read(again, "a") + read(again, "b")).isEqualTo("12");
    assertThat(cache.indexBuilds(base.descriptor().digest())).isEqualTo(1);
  }

  @Test
  void entry_pathOutsideRequest_resolvedOnDemand() throws Exception {
    TestLayer.Built base = images.layer(TestLayer.create().file("a", "1").file("b", "2"));
    images.push("img", "latest", null, null, List.of(base));

    ImageFileSource fs = ImageFileSource.open(load("img"), PathRequest.of(List.of("a")), cache);

    assertThat(read(fs, "b")).isEqualTo("2");
    assertThat(fs.entry("nope")).isEmpty();
  }

  @Test
  void prefetch_severalPaths_onePassOverTheLayers() throws Exception {
    TestLayer.Built base = images.layer(TestLayer.create().file("a", "1").file("b", "2").file("c", "3"));
    TestLayer.Built top = images.layer(TestLayer.create().file("d", "4"));
    images.push("img", "latest", null, null, List.of(base, top));
    ImageFileSource fs = ImageFileSource.open(load("img"), PathRequest.of(List.of("d")), cache);

    fs.prefetch(PathRequest.of(List.of("a", "b", "c")));

    assertThat(read(fs, "a") + read(fs, "b") + read(fs, "c") + read(fs, "d")).isEqualTo("1234");
    assertThat(cache.indexBuilds(base.descriptor().digest())).isEqualTo(1);
    assertThat(cache.indexBuilds(top.descriptor().digest())).isEqualTo(1);
  }

  @Test
  void entry_glob_findsMatchesInAnyLayer() throws Exception {
    TestLayer.Built base = images.layer(TestLayer.create()
        .dir("usr/lib/python2.7/site-packages/nova"));
    TestLayer.Built top = images.layer(TestLayer.create().file("etc/x", "x"));
    images.push("img", "latest", null, null, List.of(base, top));

    ImageFileSource fs = ImageFileSource.open(load("img"), PathRequest.empty()
        .withGlobs(List.of("usr/lib/python*/site-packages/nova")), cache);

    assertThat(fs.entry("usr/lib/python2.7/site-packages/nova")).get()
        .extracting(FileEntry::type).isEqualTo(EntryType.DIRECTORY);
    assertThat(fs.entry("usr/lib/python3.6/site-packages/nova")).isEmpty();
  }

  @Test
  void load_unknownImage_failsNamingIt() {
    assertThatThrownBy(() -> load("missing"))
        .isInstanceOf(dev.refit.registry.client.RegistryClientException.class)
        .hasMessageContaining("missing:latest");
  }

  @Test
  void buildTime_createdElseBuildDateLabel() throws Exception {
    TestLayer.Built base = images.layer(TestLayer.create().file("a", "1"));
    images.push("created", "latest", "2018-05-02T10:00:00Z", "20170101", List.of(base));
    images.push("label", "latest", "1970-01-01T00:00:00Z", "20180503", List.of(base));
    images.push("none", "latest", null, null, List.of(base));

    assertThat(load("created").buildTime()).contains(Instant.parse("2018-05-02T10:00:00Z"));
    assertThat(load("label").buildTime()).contains(Instant.parse("2018-05-03T00:00:00Z"));
    assertThat(load("none").buildTime()).isEmpty();
  }
}
