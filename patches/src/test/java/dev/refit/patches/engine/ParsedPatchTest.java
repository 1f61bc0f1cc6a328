package dev.refit.patches.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParsedPatchTest {

  @TempDir Path tmp;

  @Test
  void parse_formatPatchMailbox_keepsEveryCommitsSectionsInOrder() throws Exception {
    GitRepo repo = GitRepo.init(Files.createDirectories(tmp.resolve("repo")));
    repo.write("a.py", "1\n").write("b.py", "2\n").commitAll("base");
    repo.write("a.py", "1a\n").commitAll("one");
    repo.write("b.py", "2b\n").write("a.py", "1ab\n").commitAll("two");
    repo.git("mv", "b.py", "c.py");
    repo.git("commit", "-q", "-m", "three");

    ParsedPatch p = parse(repo.gitBytes("format-patch", "--stdout", "HEAD~3"), 1);

    assertThat(p.files()).extracting(FileChange::kind, FileChange::oldPath, FileChange::newPath)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(FileChange.Kind.MODIFY, "a.py", "a.py"),
            org.assertj.core.groups.Tuple.tuple(FileChange.Kind.MODIFY, "a.py", "a.py"),
            org.assertj.core.groups.Tuple.tuple(FileChange.Kind.MODIFY, "b.py", "b.py"),
            org.assertj.core.groups.Tuple.tuple(FileChange.Kind.RENAME, "b.py", "c.py"));
    Hunk h = p.files().get(0).hunks().get(0);
    assertThat(h.header()).isEqualTo("@@ -1 +1 @@");
    assertThat(h.oldLines()).containsExactly("1");
    assertThat(h.newLines()).containsExactly("1a");
  }

  @Test
  void parse_plainUnifiedDiffWithTimestamps_readsNamesAndHunks() {
    String diff = "diff -ruN orig/pkg/x.py new/pkg/x.py\n"
        + "--- orig/pkg/x.py\t2024-01-01 00:00:00.000000000 +0000\n"
        + "+++ new/pkg/x.py\t2024-01-02 00:00:00.000000000 +0000\n"
        + "@@ -1,2 +1,2 @@\n a\n-b\n+c\n";

    ParsedPatch p = parse(diff.getBytes(StandardCharsets.UTF_8), 1);

    assertThat(p.files()).singleElement().satisfies(f -> {
      assertThat(f.kind()).isEqualTo(FileChange.Kind.MODIFY);
      assertThat(f.newPath()).isEqualTo("pkg/x.py");
      assertThat(f.oldMode()).isNull();
    });
  }

  @Test
  void parse_quiltStyleSectionsWithoutDiffLines_areSeparated() {
    String diff = "Index: pkg/a.py\n===================================================\n"
        + "--- pkg.orig/a.py\n+++ pkg/a.py\n@@ -1,2 +1,2 @@\n x\n-a\n+b\n"
        + "Index: pkg/b.py\n===================================================\n"
        + "--- pkg.orig/b.py\n+++ pkg/b.py\n@@ -1 +1 @@\n-c\n+d\n"
        + "--- pkg.orig/c.py\n+++ pkg/c.py\n@@ -1 +1,2 @@\n e\n+f\n";

    ParsedPatch p = parse(diff.getBytes(StandardCharsets.UTF_8), 1);

    assertThat(p.files()).extracting(FileChange::newPath).containsExactly("a.py", "b.py", "c.py");
    assertThat(p.files()).allSatisfy(f -> assertThat(f.hunks()).hasSize(1));
    assertThat(p.files().get(1).hunks().get(0).oldLines()).containsExactly("c");
    assertThat(p.files().get(2).hunks().get(0).newLines()).containsExactly("e", "f");
  }

  @Test
  void parse_stripLevelTooDeep_failsNamingThePath() {
    String diff = "--- a/x.py\n+++ b/x.py\n@@ -1 +1 @@\n-a\n+b\n";

    assertThatThrownBy(() -> parse(diff.getBytes(StandardCharsets.UTF_8), 3))
        .isInstanceOf(PatchException.class)
        .hasMessageContaining("cannot strip 3 leading components from path x.py");
  }

  @Test
  void parse_dropPaths_areConfigurable() {
    String diff = "--- a/docs/x.rst\n+++ b/docs/x.rst\n@@ -1 +1 @@\n-a\n+b\n"
        + "--- a/nova/tests/t.py\n+++ b/nova/tests/t.py\n@@ -1 +1 @@\n-a\n+b\n";
    PatchOptions docsOnly = PatchOptions.defaults().withDropPaths(List.of("docs/"));

    ParsedPatch p = ParsedPatch.parse(new ByteArrayInputStream(diff.getBytes(StandardCharsets.UTF_8)),
        "x.diff", docsOnly);

    assertThat(p.files()).extracting(FileChange::newPath).containsExactly("nova/tests/t.py");
    assertThat(PatchOptions.defaults().drops("nova/tests/t.py")).isTrue();
    assertThat(PatchOptions.defaults().drops("releasenotes/notes/a.yaml")).isTrue();
    assertThat(PatchOptions.defaults().drops("nova/unittests_helper.py")).isFalse();
  }

  @Test
  void parse_onlyDroppedSections_givesNoFilesButNoError() {
    String diff = "--- a/releasenotes/n.yaml\n+++ b/releasenotes/n.yaml\n@@ -1 +1 @@\n-a\n+b\n";

    assertThat(parse(diff.getBytes(StandardCharsets.UTF_8), 1).files()).isEmpty();
  }

  @Test
  void parse_missingFile_failsNamingIt() {
    Path missing = tmp.resolve("nope.patch");

    assertThatThrownBy(() -> ParsedPatch.parse(missing, PatchOptions.defaults()))
        .isInstanceOf(PatchException.class).hasMessageContaining("nope.patch does not exist");
  }

  @Test
  void crlfToLf_convertsOnlyWhollyCrlfPatches() {
    byte[] whole = "a\r\nb\r\n".getBytes(StandardCharsets.US_ASCII);
    byte[] mixed = "a\nb\r\n".getBytes(StandardCharsets.US_ASCII);

    assertThat(ParsedPatch.crlfToLf(whole)).isEqualTo("a\nb\n".getBytes(StandardCharsets.US_ASCII));
    assertThat(ParsedPatch.crlfToLf(mixed)).isEqualTo(mixed);
  }

  ParsedPatch parse(byte[] bytes, int strip) {
    return ParsedPatch.parse(new ByteArrayInputStream(bytes), "test.patch",
        PatchOptions.defaults().withStripLevel(strip));
  }
}
