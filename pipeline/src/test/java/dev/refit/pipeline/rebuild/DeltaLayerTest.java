package dev.refit.pipeline.rebuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import dev.refit.patches.engine.PatchResult;
import dev.refit.patches.fs.DirectoryFileSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeltaLayerTest {
  @TempDir Path tmp;

  @Test
  void whiteout_deletedPath_isDotWhEntryInTheParentDirectory() {
    assertThat(DeltaLayer.whiteout("usr/lib/a.py")).isEqualTo("/usr/lib/.wh.a.py");
    assertThat(DeltaLayer.whiteout("/etc/old/")).isEqualTo("/etc/.wh.old");
    assertThat(DeltaLayer.whiteout("top")).isEqualTo("/.wh.top");
  }

  @Test
  void of_changedFilesAndDeletions_sortedEntriesWithFixedTimeAndOwnership() throws Exception {
    PatchResult r = DaemonlessRebuilderTest.patchResult(tmp.resolve("files"));
    FileEntriesLayer layer = DeltaLayer.of(r, tmp.resolve("work"));
    List<String> paths = layer.getEntries().stream().map(e -> e.getExtractionPath().toString()).toList();
    assertThat(paths).isSorted().containsExactly(
        "/usr/lib/python3/site-packages/nova/.wh.old.py",
        "/usr/lib/python3/site-packages/nova/api.py",
        "/usr/lib/python3/site-packages/nova/cmd/new.py",
        "/var/lib/nova/nova.conf");
    assertThat(layer.getEntries()).allSatisfy(e -> assertThat(e.getModificationTime())
        .isEqualTo(java.time.Instant.ofEpochSecond(1)));
    FileEntry conf = layer.getEntries().get(3);
    assertThat(conf.getOwnership()).isEqualTo("42436:42436");
    assertThat(conf.getPermissions().toOctalString()).isEqualTo("640");
    assertThat(Files.size(layer.getEntries().get(0).getSourceFile())).isZero();
  }

  @Test
  void of_pathThroughASymlinkInTheBase_failsWithAClearMessage() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("root"));
    Files.createDirectories(root.resolve("usr/lib"));
    Files.createSymbolicLink(root.resolve("lib"), Path.of("usr/lib"));
    PatchResult r = new PatchResult(List.of(), List.of("lib/gone.so"));
    assertThatThrownBy(() -> DeltaLayer.of(r, tmp.resolve("work"), DirectoryFileSource.of(root)))
        .isInstanceOf(RebuildException.class)
        .hasMessageContaining("/lib")
        .hasMessageContaining("real path");
  }

  @Test
  void ancestors_ofChangedAndDeletedPaths_areEveryParentOnce() throws Exception {
    PatchResult r = DaemonlessRebuilderTest.patchResult(tmp.resolve("files"));
    assertThat(DeltaLayer.ancestors(r)).containsExactly(
        "usr", "usr/lib", "usr/lib/python3", "usr/lib/python3/site-packages",
        "usr/lib/python3/site-packages/nova", "usr/lib/python3/site-packages/nova/cmd",
        "var", "var/lib", "var/lib/nova");
  }

  @Test
  void of_newParentDirectoriesWithABase_getTheOwnerOfTheFirstCopyGroupBelowThem() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("root"));
    Files.createDirectories(root.resolve("srv"));
    PatchResult r = new PatchResult(List.of(
        changed("usr/local/sbin/tool", 04755, 0, 0),
        changed("usr/local/bin/grouped", 02755, 0, 1000),
        changed("srv/shared", 01777, 1000, 1000)), List.of());
    FileEntriesLayer layer = DeltaLayer.of(r, tmp.resolve("work"), DirectoryFileSource.of(root));
    java.util.Map<String, String> owners = new java.util.TreeMap<>();
    layer.getEntries().forEach(e -> owners.put(e.getExtractionPath().toString(), e.getOwnership()));
    // usr/local/bin (0:1000) sorts before usr/local/sbin (0:0): its COPY creates /usr and /usr/local.
    assertThat(owners).containsEntry("/usr", "0:1000").containsEntry("/usr/local", "0:1000")
        .containsEntry("/usr/local/bin", "0:1000").doesNotContainKey("/usr/local/sbin");
    assertThat(DeltaLayer.newDirectoryOwner(r, "usr/local/sbin")).isEqualTo("0:0");
    // The existing /srv keeps the base's owner, not the file's.
    assertThat(owners.get("/srv")).isNotEqualTo("1000:1000");
  }

  @Test
  void entries_oneLayerOfASplitResult_newParentsTakeTheirOwnerFromTheWholeResult() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("root"));
    Files.createDirectories(root.resolve("usr"));
    PatchResult lower = new PatchResult(List.of(changed("usr/local/bin/grouped", 0755, 0, 1000)), List.of());
    PatchResult upper = new PatchResult(List.of(changed("usr/local/sbin/tool", 0755, 0, 0)), List.of());
    PatchResult whole = new PatchResult(List.of(lower.changed().get(0), upper.changed().get(0)), List.of());

    java.util.Map<String, LayerEntry> alone = new java.util.TreeMap<>();
    DeltaLayer.entries(upper, DirectoryFileSource.of(root)).forEach(e -> alone.put(e.path(), e));
    java.util.Map<String, LayerEntry> split = new java.util.TreeMap<>();
    DeltaLayer.entries(upper, DirectoryFileSource.of(root), whole).forEach(e -> split.put(e.path(), e));

    // Alone, the upper layer would write /usr/local as root's and override the lower layer's.
    assertThat(alone).doesNotContainKey("/usr/local");
    assertThat(split.get("/usr/local").gid()).isEqualTo(1000);
    assertThat(DeltaLayer.entries(lower, DirectoryFileSource.of(root), whole))
        .filteredOn(e -> e.path().equals("/usr/local")).singleElement()
        .isEqualTo(split.get("/usr/local"));
  }

  @Test
  void specialModes_changedFilesWithSetuidSetgidOrSticky_areNamedWithAllTwelveBits() throws Exception {
    PatchResult r = new PatchResult(List.of(
        changed("usr/bin/tool", 04755, 0, 0),
        changed("usr/bin/grouped", 02711, 0, 0),
        changed("tmp/shared", 01777, 0, 0),
        changed("usr/bin/plain", 0755, 0, 0)), List.of());
    assertThat(DeltaLayer.specialModes(r, null)).containsExactly(
        java.util.Map.entry("tmp/shared", 01777),
        java.util.Map.entry("usr/bin/grouped", 02711),
        java.util.Map.entry("usr/bin/tool", 04755));
  }

  private dev.refit.patches.engine.ChangedFile changed(String path, int mode, int uid, int gid)
      throws Exception {
    byte[] bytes = path.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Path file = Files.write(Files.createDirectories(tmp.resolve("files")).resolve(path.replace('/', '_')), bytes);
    return new dev.refit.patches.engine.ChangedFile(path, file, mode, uid, gid, bytes.length,
        dev.refit.registry.oci.Digest.sha256(bytes));
  }
}
