package dev.refit.pipeline.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.patches.fs.DirectoryFileSource;
import dev.refit.patches.source.PatchDigests;
import dev.refit.pipeline.prepare.AppliedRecord;
import dev.refit.registry.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Re-applying recorded patches over a base: a patch file (kept in the cache) and an install/
 * tree (named where it lies), one after the other, and what happens when their bytes change.
 */
class ExpectedChangesTest {
  private static final String SITE = "usr/lib/python3.6/site-packages";
  private static final String PATCH = String.join("\n",
      "--- a/app/api.py",
      "+++ b/app/api.py",
      "@@ -1,2 +1,2 @@",
      " import os",
      "-LIMIT = 1",
      "+LIMIT = 10",
      "");

  @TempDir Path tmp;
  private Path cache;
  private Path base;
  private Path tree;
  private AppliedRecord record;

  @BeforeEach
  void setUp() throws Exception {
    cache = Files.createDirectories(tmp.resolve("cache"));
    base = tmp.resolve("base");
    write(base.resolve(SITE + "/app/api.py"), "import os\nLIMIT = 1\n");
    write(base.resolve(SITE + "/app/disk.py"), "old\n");
    tree = tmp.resolve("install");
    write(tree.resolve(SITE + "/app/disk.py"), "new\n");
    write(tree.resolve(SITE + "/app/extra.py"), "added\n");
    Path patch = write(cache.resolve("patches/files/fix.patch"), PATCH);
    record = new AppliedRecord("sha256:" + "0".repeat(64),
        new AppliedRecord.Options(1, 0, List.of("tests/"), 1 << 20), List.of(
            new AppliedRecord.Patch("I1", PatchDigests.file(patch).toString(), "patch",
                "patches/files/fix.patch", List.of(SITE)),
            new AppliedRecord.Patch("install", PatchDigests.tree(tree).toString(), "tree",
                tree.toString(), List.of(""))));
  }

  private static Path write(Path file, String text) throws Exception {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  private ExpectedChanges.Result compute() throws Exception {
    return ExpectedChanges.compute(cache, record, request -> DirectoryFileSource.of(base),
        Files.createTempDirectory(tmp, "work-"), "test-image");
  }

  @Test
  void patchAndTree_reappliedInOrder_givePathsContentsAndTheirPatch() throws Exception {
    ExpectedChanges.Result r = compute();

    assertThat(r.findings()).isEmpty();
    assertThat(r.deleted()).isEmpty();
    assertThat(r.files().keySet()).containsExactly(SITE + "/app/api.py", SITE + "/app/disk.py",
        SITE + "/app/extra.py");
    ExpectedChanges.File api = r.files().get(SITE + "/app/api.py");
    assertThat(api.sha256()).isEqualTo(sha("import os\nLIMIT = 10\n"));
    assertThat(api.patch()).isEqualTo("I1");
    assertThat(r.files().get(SITE + "/app/disk.py").sha256()).isEqualTo(sha("new\n"));
    assertThat(r.files().get(SITE + "/app/extra.py").patch()).isEqualTo("install");
    assertThat(r.patchOf(SITE + "/app/disk.py")).contains("install");
  }

  @Test
  void alteredPatchFile_andChangedTree_areFindings_andTheirFilesNotExpected() throws Exception {
    Files.writeString(cache.resolve("patches/files/fix.patch"), PATCH.replace("10", "11"));
    write(tree.resolve(SITE + "/app/extra.py"), "changed after the build\n");

    ExpectedChanges.Result r = compute();

    assertThat(r.findings()).extracting(Finding::kind, Finding::subject).containsExactly(
        org.assertj.core.groups.Tuple.tuple(Finding.Kind.PATCH, "I1"),
        org.assertj.core.groups.Tuple.tuple(Finding.Kind.PATCH, "install"));
    assertThat(r.findings().get(0).detail()).contains("not to the recorded "
        + record.patches().get(0).sha256()).contains("altered");
    assertThat(r.files()).isEmpty();
  }

  @Test
  void patchThatNoLongerApplies_isAFinding() throws Exception {
    write(base.resolve(SITE + "/app/api.py"), "import sys\nLIMIT = 2\n");

    ExpectedChanges.Result r = compute();

    assertThat(r.findings()).singleElement().satisfies(f -> {
      assertThat(f.subject()).isEqualTo("I1");
      assertThat(f.detail()).startsWith("no longer applies to the base at /" + SITE);
    });
    assertThat(r.files().keySet()).containsExactly(SITE + "/app/disk.py", SITE + "/app/extra.py");
  }

  private static Digest sha(String text) {
    return Digest.sha256(text.getBytes(StandardCharsets.UTF_8));
  }
}
