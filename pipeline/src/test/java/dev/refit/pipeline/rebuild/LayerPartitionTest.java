package dev.refit.pipeline.rebuild;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.patches.engine.ChangedFile;
import dev.refit.patches.engine.PatchResult;
import dev.refit.registry.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LayerPartitionTest {
  static final long MIB = 1L << 20;

  /**
   * An install/-like tree of about {@code mib} MiB, the same for a seed: mostly small files,
   * some of a few hundred KiB to a few MiB, and a few large binaries.
   */
  static List<ChangedFile> tree(long seed, long mib, String workDir) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<ChangedFile> files = new ArrayList<>();
    long total = 0;
    for (int i = 0; total < mib * MIB; i++) {
      int kind = rnd.nextInt(1000);
      long size = kind < 900 ? rnd.nextLong(100, 48 << 10)
          : kind < 998 ? rnd.nextLong(48 << 10, 2 * MIB)
          : rnd.nextLong(4 * MIB, 24 * MIB);
      String path = "usr/lib/ceph/d" + rnd.nextInt(60) + "/f" + i + (kind >= 998 ? ".so" : ".py");
      files.add(file(path, size, "v1", workDir));
      total += size;
    }
    return files;
  }

  static ChangedFile file(String path, long size, String version, String workDir) {
    Digest content = Digest.sha256((path + "\0" + version).getBytes(StandardCharsets.UTF_8));
    return new ChangedFile(path, Path.of(workDir, content.hex()), 0644, 0, 0, size, content);
  }

  static ChangedFile edited(ChangedFile f) {
    return new ChangedFile(f.path(), f.content(), f.mode(), f.uid(), f.gid(), f.size(),
        Digest.sha256((f.path() + "\0edited").getBytes(StandardCharsets.UTF_8)));
  }

  /** What decides a layer's bytes: each file's path, content digest, size, mode and owner. */
  static String identity(PatchResult layer) {
    return layer.changed().stream()
        .map(f -> f.path() + " " + f.sha256() + " " + f.size() + " " + f.mode() + " " + f.uid() + ":" + f.gid())
        .collect(Collectors.joining("\n")) + "\n-" + layer.deleted();
  }

  static long bytes(PatchResult layer) {
    return LayerPartition.totalBytes(layer);
  }

  /** Bytes of the layers of {@code after} that {@code before} does not already have. */
  static long newBytes(List<PatchResult> before, List<PatchResult> after) {
    Set<String> known = before.stream().map(LayerPartitionTest::identity).collect(Collectors.toSet());
    return after.stream().filter(l -> !known.contains(identity(l))).mapToLong(LayerPartitionTest::bytes).sum();
  }

  static int newLayers(List<PatchResult> before, List<PatchResult> after) {
    Set<String> known = before.stream().map(LayerPartitionTest::identity).collect(Collectors.toSet());
    return (int) after.stream().filter(l -> !known.contains(identity(l))).count();
  }

  /** A tree, its layers, the unit they were cut with and its bytes. */
  record Baseline(List<ChangedFile> files, List<PatchResult> layers, long unit, long total) {
    static Baseline of(List<ChangedFile> files) {
      PatchResult result = new PatchResult(files, List.of());
      return new Baseline(files, LayerPartition.of(result),
          LayerPartition.unit(result, LayerPartition.MAX_LAYERS), LayerPartition.totalBytes(result));
    }
  }

  static List<PatchResult> partition(List<ChangedFile> files) {
    return LayerPartition.of(new PatchResult(files, List.of()));
  }

  @Test
  void of_resultBelow16MiB_isTheResultAsOneLayer() {
    PatchResult small = new PatchResult(
        List.of(file("etc/a.conf", 10, "v1", "w"), file("usr/bin/b", 15 * MIB, "v1", "w")),
        List.of("etc/old"));
    assertThat(LayerPartition.of(small)).containsExactly(small);
    assertThat(LayerPartition.unit(small, LayerPartition.MAX_LAYERS)).isZero();
  }

  @Test
  void of_300MiBTree_unionOfLayersIsTheResultInPathOrder() {
    List<ChangedFile> files = tree(1, 300, "w");
    List<String> deleted = List.of("a-first/gone", "usr/lib/ceph/d3", "usr/lib/ceph/d3/x.py", "zz/last");
    PatchResult result = new PatchResult(files, deleted);
    List<PatchResult> layers = LayerPartition.of(result);

    assertThat(layers).hasSizeGreaterThan(1);
    assertThat(layers.stream().flatMap(l -> l.changed().stream()).toList()).isEqualTo(result.changed());
    assertThat(layers.stream().flatMap(l -> l.deleted().stream()).toList()).isEqualTo(result.deleted());
  }

  @Test
  void of_deletedPath_landsInTheLayerCoveringIt_neverAboveItsDescendants() {
    List<ChangedFile> files = new ArrayList<>(tree(2, 100, "w"));
    files.add(file("usr/lib/ceph/d7/new/inside.py", 100, "v1", "w"));
    PatchResult result = new PatchResult(files, List.of("a/gone", "usr/lib/ceph/d7", "usr/lib/ceph/d7/new"));
    List<PatchResult> layers = LayerPartition.of(result);

    assertThat(layers.get(0).deleted()).contains("a/gone");
    int whiteout = indexOf(layers, l -> l.deleted().contains("usr/lib/ceph/d7"));
    int inner = indexOf(layers, l -> l.deleted().contains("usr/lib/ceph/d7/new"));
    int child = indexOf(layers, l -> l.changed().stream().anyMatch(f -> f.path().equals("usr/lib/ceph/d7/new/inside.py")));
    assertThat(whiteout).isLessThanOrEqualTo(inner);
    assertThat(inner).isLessThanOrEqualTo(child);
    for (int i = 0; i < layers.size(); i++) {
      for (String d : layers.get(i).deleted()) {
        // Every changed path below d sits in d's layer or above it.
        for (int j = 0; j < i; j++) {
          assertThat(layers.get(j).changed()).noneMatch(f -> f.path().startsWith(d + "/"));
        }
      }
    }
  }

  @Test
  void of_largeTrees_stayWithinTheLayerBudget() {
    for (long mib : new long[] {17, 64, 300, 1000, 4000}) {
      PatchResult result = new PatchResult(tree(mib, mib, "w"), List.of());
      assertThat(LayerPartition.of(result)).as("%d MiB", mib).hasSizeLessThanOrEqualTo(LayerPartition.MAX_LAYERS);
      assertThat(LayerPartition.of(result, 10)).as("%d MiB, budget 10", mib).hasSizeLessThanOrEqualTo(10);
    }
    List<ChangedFile> manyTiny = new ArrayList<>();
    for (int i = 0; i < 200_000; i++) {
      manyTiny.add(file("usr/share/t/" + i, 200, "v1", "w"));
    }
    assertThat(partition(manyTiny)).hasSizeLessThanOrEqualTo(LayerPartition.MAX_LAYERS);
    List<ChangedFile> allBig = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      allBig.add(file("opt/big/" + i, 20 * MIB, "v1", "w"));
    }
    assertThat(partition(allBig)).hasSizeLessThanOrEqualTo(LayerPartition.MAX_LAYERS);
  }

  @Test
  void budget_tallBase_leavesHalfOfWhatOverlayfsHasLeft() {
    assertThat(LayerPartition.budget(2)).isEqualTo(48);
    assertThat(LayerPartition.budget(31)).isEqualTo(48);
    assertThat(LayerPartition.budget(81)).isEqualTo(23);
    assertThat(LayerPartition.budget(126)).isEqualTo(1);
    assertThat(LayerPartition.budget(200)).isEqualTo(1);
  }

  @Test
  void of_sameFilesInOtherOrderAndOtherWorkFiles_giveTheSamePartition() {
    List<ChangedFile> one = tree(3, 300, "work-a");
    List<ChangedFile> two = new ArrayList<>(tree(3, 300, "elsewhere/work-b"));
    Collections.shuffle(two, new Random(7));
    List<String> a = partition(one).stream().map(LayerPartitionTest::identity).toList();
    List<String> b = partition(two).stream().map(LayerPartitionTest::identity).toList();
    assertThat(b).isEqualTo(a);
  }

  @Test
  void of_oneSmallFileEdited_changesOneLayerOfAboutOneUnit() {
    Baseline was = Baseline.of(tree(4, 300, "w"));
    List<ChangedFile> files = was.files();
    List<PatchResult> before = was.layers();
    long sum = 0;
    int edits = 0;
    for (int i = 0; i < files.size(); i += 97) {
      List<ChangedFile> next = new ArrayList<>(files);
      next.set(i, edited(files.get(i)));
      List<PatchResult> after = partition(next);
      assertThat(after).hasSameSizeAs(before);
      assertThat(newLayers(before, after)).isEqualTo(1);
      long moved = newBytes(before, after) - files.get(i).size();
      assertThat(moved).isLessThanOrEqualTo(4 * was.unit());
      sum += moved;
      edits++;
    }
    // 300 MiB in 30 layers of 8 MiB units: an edit re-sends its layer, about 3 % of the tree.
    assertThat(was.unit()).isEqualTo(8 * MIB);
    assertThat(sum / edits).isLessThan(was.total() * 4 / 100);
  }

  @Test
  void of_oneBigFileEdited_resendsOnlyThatFile() {
    List<ChangedFile> files = new ArrayList<>(tree(5, 300, "w"));
    ChangedFile osd = file("usr/lib/ceph/d9/ceph-osd", 10 * MIB, "v1", "w");
    files.add(osd);
    List<PatchResult> before = partition(files);
    files.set(files.indexOf(osd), edited(osd));
    List<PatchResult> after = partition(files);
    long total = LayerPartition.totalBytes(new PatchResult(files, List.of()));

    assertThat(newLayers(before, after)).isEqualTo(1);
    assertThat(newBytes(before, after)).isEqualTo(10 * MIB);
    assertThat(newBytes(before, after)).isLessThanOrEqualTo(osd.size() + total / 100);
  }

  @Test
  void of_fileAddedOrDeletedOrResized_changesOnlyTheLayersNextToIt() {
    Baseline was = Baseline.of(tree(6, 300, "w"));
    List<ChangedFile> files = was.files();
    long worst = 0;
    long sum = 0;
    int edits = 0;
    for (int i = 100; i < files.size(); i += files.size() / 12) {
      List<ChangedFile> added = new ArrayList<>(files);
      added.add(file(files.get(i).path() + ".new", 30_000, "v1", "w"));
      List<ChangedFile> removed = new ArrayList<>(files);
      removed.remove(i);
      List<ChangedFile> resized = new ArrayList<>(files);
      ChangedFile f = files.get(i);
      resized.set(i, new ChangedFile(f.path(), f.content(), f.mode(), 0, 0, f.size() + 5000,
          Digest.sha256("resized".getBytes(StandardCharsets.UTF_8))));
      for (List<ChangedFile> next : List.of(added, removed, resized)) {
        long moved = newBytes(was.layers(), partition(next));
        // The layer holding the edit, and a few more until a boundary realigns the cuts.
        assertThat(moved).isLessThanOrEqualTo(6 * was.unit());
        worst = Math.max(worst, moved);
        sum += moved;
        edits++;
      }
    }
    assertThat(worst).isLessThan(was.total() * 12 / 100);
    assertThat(sum / edits).isLessThan(was.total() * 4 / 100);
  }

  @Test
  void boundary_dependsOnPathAndSizeOnly() {
    ChangedFile a = file("usr/lib/x.py", 40_000, "v1", "w1");
    ChangedFile b = new ChangedFile("usr/lib/x.py", Path.of("w2/other"), 0755, 42, 42, 40_000,
        Digest.sha256("other".getBytes(StandardCharsets.UTF_8)));
    Set<Boolean> seen = new HashSet<>();
    for (long gap = 1 << 16; gap <= 1 << 24; gap <<= 1) {
      assertThat(LayerPartition.boundary(b, gap)).isEqualTo(LayerPartition.boundary(a, gap));
      seen.add(LayerPartition.boundary(a, gap));
    }
    assertThat(LayerPartition.boundary(file("any", 1 << 20, "v1", "w"), 1 << 20)).isTrue();
    assertThat(seen).contains(false);
  }

  private static int indexOf(List<PatchResult> layers, java.util.function.Predicate<PatchResult> p) {
    for (int i = 0; i < layers.size(); i++) {
      if (p.test(layers.get(i))) {
        return i;
      }
    }
    throw new AssertionError("no layer matches");
  }
}
