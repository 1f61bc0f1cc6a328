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
}
