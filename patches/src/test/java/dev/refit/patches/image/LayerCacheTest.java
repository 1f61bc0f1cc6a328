package dev.refit.patches.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerCacheTest {
  @TempDir Path tmp;
  private final Map<Digest, Path> blobs = new HashMap<>();
  private final Map<Digest, AtomicInteger> opened = new ConcurrentHashMap<>();

  /** Finds test blobs by digest, counting how often each is asked for. */
  private final LayerReader reader = layer -> {
    opened.computeIfAbsent(layer.digest(), d -> new AtomicInteger()).incrementAndGet();
    return blobs.get(layer.digest());
  };

  private Descriptor layer(TestLayer layer, boolean gzip) throws IOException {
    TestLayer.Built built = layer.write(tmp.resolve("blob-" + blobs.size()), gzip);
    blobs.put(built.descriptor().digest(), built.file());
    return built.descriptor();
  }

  private static String read(ImageFileSource fs, String path) throws IOException {
    try (InputStream in = fs.open(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private int opened(Descriptor d) {
    AtomicInteger n = opened.get(d.digest());
    return n == null ? 0 : n.get();
  }

  /** About {@code size} bytes of compressible text, the same for a seed. */
  private static byte[] text(int size, long seed) {
    Random random = new Random(seed);
    String[] words = {"nova ", "compute ", "import os\n", "def run(self):\n", "    return 1\n"};
    StringBuilder sb = new StringBuilder(size + 32);
    while (sb.length() < size) {
      sb.append(words[random.nextInt(words.length)]).append(random.nextInt(1000));
    }
    return sb.substring(0, size).getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void open_globOverTwoImages_indexesEachLayerOnceOnTheIndexPool() throws Exception {
    Descriptor bottom = layer(TestLayer.create().file("usr/lib/python3/dist-packages/six.py", "1"), true);
    Descriptor nova = layer(TestLayer.create().file("usr/lib/python3/dist-packages/nova/a.py", "2"), true);
    Descriptor api = layer(TestLayer.create().file("etc/nova-api", "3"), true);
    Descriptor compute = layer(TestLayer.create().file("etc/nova-compute", "4"), true);
    LayerCache cache = new LayerCache(tmp.resolve("work"), LayerIndexes.at(tmp.resolve("index")));
    Map<Digest, String> threads = new ConcurrentHashMap<>();
    LayerReader recording = layer -> {
      threads.put(layer.digest(), Thread.currentThread().getName());
      return reader.blobFile(layer);
    };
    PathRequest glob = PathRequest.empty().withListDirs(List.of("usr/lib"))
        .withGlobs(List.of("usr/lib/python*/dist-packages/nova"));
    ExecutorService two = Executors.newFixedThreadPool(2);
    try {
      Future<ImageFileSource> a = two.submit(() -> ImageFileSource.open("nova-api",
          List.of(bottom, nova, api), glob, cache, recording));
      Future<ImageFileSource> b = two.submit(() -> ImageFileSource.open("nova-compute",
          List.of(bottom, nova, compute), glob, cache, recording));
      for (ImageFileSource fs : List.of(a.get(), b.get())) {
        assertThat(fs.entry("usr/lib/python3/dist-packages/nova")).isPresent();
        assertThat(fs.layersComposed()).isEqualTo(3);
      }
    } finally {
      two.shutdown();
    }
    assertThat(threads).hasSize(4);
    assertThat(threads.values()).allMatch(name -> name.startsWith("refit-layer-index-"));
    for (Descriptor d : List.of(bottom, nova, api, compute)) {
      assertThat(cache.indexBuilds(d.digest())).as("built once: " + d.digest()).isEqualTo(1);
    }
  }

  @Test
  void open_topLayerSettlesRequest_lowerBlobsNeverOpenedNorIndexed() throws Exception {
    Descriptor bottom = layer(TestLayer.create().file("etc/a", "1").file("etc/b", "1"), true);
    Descriptor middle = layer(TestLayer.create().file("etc/a", "2"), true);
    Descriptor top = layer(TestLayer.create().file("etc/a", "3").whiteout("etc/b"), true);
    LayerCache cache = new LayerCache(tmp.resolve("work"), LayerIndexes.at(tmp.resolve("index")));

    ImageFileSource fs = ImageFileSource.open("img", List.of(bottom, middle, top),
        PathRequest.of(List.of("etc/a", "etc/b")), cache, reader);

    assertThat(read(fs, "etc/a")).isEqualTo("3");
    assertThat(fs.entry("etc/b")).isEmpty();
    assertThat(fs.layersComposed()).isEqualTo(1);
    assertThat(opened(bottom) + opened(middle)).isZero();
    assertThat(cache.indexBuilds(bottom.digest()) + cache.indexBuilds(middle.digest())).isZero();
    assertThat(Files.exists(cache.indexes().file(bottom.digest()))).isFalse();
  }

  @Test
  void open_secondCacheOverSameIndexes_buildsNothingAndOpensBlobOnlyForContent() throws Exception {
    Descriptor base = layer(TestLayer.create().dir("usr/lib").file("usr/lib/a.py", "A"), true);
    LayerIndexes indexes = LayerIndexes.at(tmp.resolve("index"));
    ImageFileSource.open("img", List.of(base), PathRequest.of(List.of("usr/lib/a.py")),
        new LayerCache(tmp.resolve("run1"), indexes), reader);
    opened.clear();
    LayerCache second = new LayerCache(tmp.resolve("run2"), indexes);

    ImageFileSource listing = ImageFileSource.open("img", List.of(base),
        PathRequest.empty().withListDirs(List.of("usr/lib")), second, reader);
    assertThat(listing.list("usr/lib")).extracting(e -> e.name()).containsExactly("a.py");
    assertThat(opened(base)).isZero();
    assertThat(read(listing, "usr/lib/a.py")).isEqualTo("A");

    assertThat(second.indexBuilds(base.digest())).isZero();
    assertThat(opened(base)).isEqualTo(1);
  }

  @Test
  void open_fileNearTheEndOfABigLayer_inflatesFromTheNearestCheckpoint() throws Exception {
    byte[] big = text(24 << 20, 1);
    byte[] last = text(300_000, 2);
    Descriptor layer = layer(TestLayer.create().file("big", big, 0644, 0, 0)
        .file("near/end.py", last, 0644, 0, 0), true);
    LayerCache cache = new LayerCache(tmp.resolve("work"), LayerIndexes.at(tmp.resolve("index")));
    ImageFileSource.open("img", List.of(layer), PathRequest.of(List.of("nothing")), cache, reader);
    assertThat(cache.bytesInflated()).isZero();

    ImageFileSource fs = ImageFileSource.open("img", List.of(layer),
        PathRequest.of(List.of("near/end.py")), cache, reader);

    try (InputStream in = fs.open("near/end.py")) {
      assertThat(in.readAllBytes()).isEqualTo(last);
    }
    assertThat(cache.checkpointInflations()).isEqualTo(1);
    assertThat(cache.bytesInflated()).isBetween((long) last.length,
        LayerIndex.SPAN + last.length + (1 << 20));
    assertThat(cache.indexBuilds(layer.digest())).isEqualTo(1);
  }

  @Test
  void open_plainTarLayer_readsContentByOffset() throws Exception {
    Descriptor layer = layer(TestLayer.create().file("a", "first").file("b", "second"), false);
    LayerCache cache = new LayerCache(tmp.resolve("work"), LayerIndexes.at(tmp.resolve("index")));

    ImageFileSource fs = ImageFileSource.open("img", List.of(layer), PathRequest.of(List.of("b")),
        cache, reader);

    assertThat(read(fs, "b")).isEqualTo("second");
    assertThat(cache.checkpointInflations()).isZero();
  }

  @Test
  void open_corruptIndex_detectedRebuiltAndStillCorrect() throws Exception {
    Descriptor layer = layer(TestLayer.create().file("a", "1").file("b", "2"), true);
    LayerIndexes indexes = LayerIndexes.at(tmp.resolve("index"));
    new LayerCache(tmp.resolve("run0"), indexes).scan(layer, PathRequest.of(List.of("a")), reader, "img");
    Path file = indexes.file(layer.digest());
    byte[] good = Files.readAllBytes(file);
    List<byte[]> damaged = new ArrayList<>();
    byte[] flipped = good.clone();
    flipped[good.length / 2] ^= 0x10;
    damaged.add(flipped);
    damaged.add(java.util.Arrays.copyOf(good, good.length - 7));
    damaged.add(withVersion(good, LayerIndexFile.VERSION + 1));

    int run = 1;
    for (byte[] bad : damaged) {
      Files.write(file, bad);
      LayerCache cache = new LayerCache(tmp.resolve("run" + run++), indexes);

      ImageFileSource fs = ImageFileSource.open("img", List.of(layer),
          PathRequest.of(List.of("a", "b")), cache, reader);

      assertThat(read(fs, "a") + read(fs, "b")).isEqualTo("12");
      assertThat(cache.indexBuilds(layer.digest())).isEqualTo(1);
      assertThat(Files.readAllBytes(file)).isEqualTo(good);
    }
    assertThat(indexes.corruptFound()).isEqualTo(3);
  }

  /** A well-formed file (its checksum recomputed) of another format version. */
  private static byte[] withVersion(byte[] good, int version) throws Exception {
    byte[] b = good.clone();
    java.nio.ByteBuffer.wrap(b, 8, 4).putInt(version);
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    md.update(b, 0, b.length - 32);
    System.arraycopy(md.digest(), 0, b, b.length - 32, 32);
    return b;
  }

  @Test
  void scan_twoCachesBuildTheSameIndexAtOnce_bothCorrectOneValidFileNoTempFiles() throws Exception {
    Descriptor layer = layer(TestLayer.create().file("big", text(6 << 20, 3), 0644, 0, 0)
        .file("x/y", "why"), true);
    LayerIndexes indexes = LayerIndexes.at(tmp.resolve("index"));
    LayerCache one = new LayerCache(tmp.resolve("one"), indexes);
    LayerCache two = new LayerCache(tmp.resolve("two"), LayerIndexes.at(tmp.resolve("index")));
    CyclicBarrier start = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (LayerCache cache : List.of(one, two)) {
        results.add(pool.submit(() -> {
          start.await();
          LayerScan scan = cache.scan(layer, PathRequest.of(List.of("x/y")), reader, "img");
          return Files.readString(scan.contents().get("x/y"));
        }));
      }
      for (Future<String> r : results) {
        assertThat(r.get()).isEqualTo("why");
      }
    } finally {
      pool.shutdown();
    }

    assertThat(one.indexBuilds(layer.digest()) + two.indexBuilds(layer.digest())).isBetween(1, 2);
    Path dir = indexes.file(layer.digest()).getParent();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).toList())
          .containsExactly(layer.digest().hex());
    }
    LayerCache third = new LayerCache(tmp.resolve("three"), indexes);
    third.scan(layer, PathRequest.of(List.of("x/y")), reader, "img");
    assertThat(third.indexBuilds(layer.digest())).isZero();
    assertThat(indexes.corruptFound()).isZero();
  }
}
