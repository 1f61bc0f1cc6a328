package dev.refit.patches.engine;

import static dev.refit.patches.engine.TreeAssertions.assertSameTree;
import static dev.refit.patches.engine.TreeAssertions.fileCount;
import static dev.refit.patches.engine.TreeAssertions.materialise;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.patches.fs.DirectoryFileSource;
import dev.refit.registry.oci.Digest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Applies real {@code git diff} / {@code git format-patch} output produced in the test and
 * compares the outcome with the tree git itself produced.
 */
class PatchEngineTest {

  static final String TARGET = "usr/lib/python3.9/site-packages";

  @TempDir Path tmp;
  GitRepo repo;
  Path image;
  Path work;

  @BeforeEach
  void setUp() throws Exception {
    repo = GitRepo.init(Files.createDirectories(tmp.resolve("repo")));
    StringBuilder big = new StringBuilder();
    for (int i = 1; i <= 40; i++) {
      big.append("line ").append(i).append('\n');
    }
    repo.write("nova/api.py", big.toString())
        .write("nova/old_name.py", "def old():\n    return 1\n\n\nprint('x')\n")
        .write("nova/gone.py", "gone = True\n")
        .write("nova/crlf.ini", "[a]\r\nkey = 1\r\nother = 2\r\n")
        .write("bin/run.sh", "#!/bin/sh\necho run\n")
        .write("nova/noeol.txt", "first\nlast")
        .commitAll("base");
    image = tmp.resolve("image");
    repo.exportTo(image.resolve(TARGET));
    work = tmp.resolve("work");
  }

  @Test
  void apply_gitDiffWithEveryKindOfChange_matchesTheTreeGitProduced() {
    String api = repo.git("show", "HEAD:nova/api.py")
        .replace("line 3\n", "line three\n").replace("line 35\n", "line 35\nline 35b\n");
    repo.write("nova/api.py", api)
        .write("nova/new_module.py", "NEW = 1\n")
        .write("bin/tool.sh", "#!/bin/sh\necho tool\n").chmod("bin/tool.sh", "rwxr-xr-x")
        .chmod("bin/run.sh", "rwxr-xr-x")
        .write("nova/crlf.ini", "[a]\r\nkey = 42\r\nother = 2\r\n")
        .write("nova/noeol.txt", "first\nlast changed");
    repo.git("rm", "-q", "nova/gone.py");
    repo.git("mv", "nova/old_name.py", "nova/new_name.py");
    repo.write("nova/new_name.py", "def old():\n    return 2\n\n\nprint('x')\n");
    repo.git("add", "-A");
    byte[] diff = repo.gitBytes("diff", "--cached", "-M");
    repo.git("commit", "-q", "-m", "change");

    PatchResult result = apply(diff, PatchOptions.defaults());

    assertThat(result.deleted()).containsExactly(TARGET + "/nova/gone.py",
        TARGET + "/nova/old_name.py");
    assertThat(result.changed()).extracting(ChangedFile::path).containsExactly(
        TARGET + "/bin/run.sh", TARGET + "/bin/tool.sh", TARGET + "/nova/api.py",
        TARGET + "/nova/crlf.ini", TARGET + "/nova/new_module.py", TARGET + "/nova/new_name.py",
        TARGET + "/nova/noeol.txt");
    ChangedFile tool = find(result, "bin/tool.sh");
    assertThat(tool.mode()).isEqualTo(0755);
    assertThat(tool.uid()).isZero();
    assertThat(find(result, "nova/new_module.py").mode()).isEqualTo(0644);
    assertThat(find(result, "bin/run.sh").mode() & 0111).isEqualTo(0111);
    materialise(result, image);
    Path expected = tmp.resolve("expected");
    repo.exportTo(expected.resolve(TARGET));
    assertSameTree(image, expected);
  }

  @Test
  void apply_changedFile_carriesSizeAndSha256OfItsContent() throws Exception {
    repo.write("nova/gone.py", "gone = False\n");
    PatchResult result = apply(repo.gitBytes("diff"), PatchOptions.defaults());

    ChangedFile f = result.changed().get(0);
    byte[] bytes = Files.readAllBytes(f.content());
    assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("gone = False\n");
    assertThat(f.size()).isEqualTo(bytes.length);
    assertThat(f.sha256()).isEqualTo(Digest.sha256(bytes));
    assertThat(f.content()).startsWith(work);
  }

  @Test
  void apply_formatPatchSeries_appliesCommitsInOrder() {
    repo.write("nova/api.py", repo.git("show", "HEAD:nova/api.py").replace("line 10\n", "ten\n"))
        .commitAll("first");
    repo.write("nova/api.py", repo.git("show", "HEAD:nova/api.py").replace("ten\n", "TEN\n"))
        .write("nova/extra.py", "x = 1\n")
        .commitAll("second");
    repo.git("rm", "-q", "nova/extra.py");
    repo.write("nova/api.py", repo.git("show", "HEAD:nova/api.py").replace("line 1\n", "one\n"))
        .commitAll("third");
    byte[] mbox = repo.gitBytes("format-patch", "--stdout", "HEAD~3");
    assertThat(new String(mbox, StandardCharsets.UTF_8)).contains("Subject: [PATCH 3/3]");

    PatchResult result = apply(mbox, PatchOptions.defaults());

    assertThat(result.deleted()).isEmpty();
    materialise(result, image);
    Path expected = tmp.resolve("expected");
    repo.exportTo(expected.resolve(TARGET));
    assertSameTree(image, expected);
  }

  @Test
  void apply_releasenotesAndTests_areDroppedByDefaultAndKeptOnRequest() {
    repo.write("releasenotes/notes/fix-1.yaml", "fixes: [x]\n")
        .write("nova/tests/test_api.py", "def test(): pass\n")
        .write("nova/gone.py", "gone = 2\n");
    repo.git("add", "-A");
    byte[] diff = repo.gitBytes("diff", "--cached");

    PatchResult dropped = apply(diff, PatchOptions.defaults());
    PatchResult kept = apply(diff, PatchOptions.defaults().withDropPaths(List.of()));

    assertThat(dropped.changed()).extracting(ChangedFile::path)
        .containsExactly(TARGET + "/nova/gone.py");
    assertThat(kept.changed()).extracting(ChangedFile::path).containsExactly(
        TARGET + "/nova/gone.py", TARGET + "/nova/tests/test_api.py",
        TARGET + "/releasenotes/notes/fix-1.yaml");
  }

  @Test
  void apply_contextChangedInImage_failsNamingImageFileHunkAndLines() throws Exception {
    repo.write("nova/api.py", repo.git("show", "HEAD:nova/api.py").replace("line 20\n", "20\n"));
    byte[] diff = repo.gitBytes("diff");
    Path inImage = image.resolve(TARGET).resolve("nova/api.py");
    Files.writeString(inImage, Files.readString(inImage).replace("line 19\n", "line XIX\n")
        .replace("line 21\n", "line XXI\n"));

    assertThatThrownBy(() -> apply(diff, PatchOptions.defaults()))
        .isInstanceOfSatisfying(PatchConflictException.class, e -> {
          assertThat(e.image()).isEqualTo("nova-api");
          assertThat(e.file()).isEqualTo(TARGET + "/nova/api.py");
          assertThat(e.hunk()).startsWith("#1 @@ -17,7 +17,7 @@");
        })
        .hasMessageContaining("nova-api")
        .hasMessageContaining(TARGET + "/nova/api.py")
        .hasMessageContaining("#1 @@ -17,7 +17,7 @@")
        .hasMessageContaining("line 19: expected \"line 19\", found \"line XIX\"")
        .hasMessageContaining("line 21: expected \"line 21\", found \"line XXI\"");
    assertThat(fileCount(work)).isZero();
  }

  @Test
  void apply_strict_allowsAnOffset() throws Exception {
    repo.write("nova/api.py", repo.git("show", "HEAD:nova/api.py").replace("line 20\n", "20\n"));
    byte[] diff = repo.gitBytes("diff");
    Path inImage = image.resolve(TARGET).resolve("nova/api.py");
    Files.writeString(inImage, "# header 1\n# header 2\n# header 3\n" + Files.readString(inImage));

    PatchResult result = apply(diff, PatchOptions.defaults());

    String patched = Files.readString(result.changed().get(0).content());
    assertThat(patched).startsWith("# header 1\n").contains("line 19\n20\nline 21\n")
        .doesNotContain("line 20\n");
  }

  @Test
  void apply_fuzz_refusedWhenStrictAcceptedWithFuzzOne() throws Exception {
    repo.write("nova/api.py", repo.git("show", "HEAD:nova/api.py").replace("line 20\n", "20\n"));
    byte[] diff = repo.gitBytes("diff");
    Path inImage = image.resolve(TARGET).resolve("nova/api.py");
    // The first context line of the hunk (line 17) differs in the image.
    Files.writeString(inImage, Files.readString(inImage).replace("line 17\n", "line 17 local\n"));

    assertThatThrownBy(() -> apply(diff, PatchOptions.defaults()))
        .isInstanceOf(PatchConflictException.class)
        .hasMessageContaining("expected \"line 17\", found \"line 17 local\"");
    PatchResult fuzzy = apply(diff, PatchOptions.defaults().withFuzz(1));

    String patched = Files.readString(fuzzy.changed().get(0).content());
    assertThat(patched).contains("line 17 local\nline 18\nline 19\n20\nline 21\n");
  }

  @Test
  void apply_pZeroAndPTwo_stripTheRightComponents() {
    repo.write("nova/gone.py", "gone = 0\n");
    byte[] p0 = repo.gitBytes("diff", "--no-prefix");
    byte[] p2 = repo.gitBytes("diff", "--src-prefix=x/a/", "--dst-prefix=y/b/");

    PatchResult r0 = apply(p0, PatchOptions.defaults().withStripLevel(0));
    PatchResult r2 = apply(p2, PatchOptions.defaults().withStripLevel(2));

    assertThat(r0.changed()).extracting(ChangedFile::path)
        .containsExactly(TARGET + "/nova/gone.py");
    assertThat(r2.changed()).extracting(ChangedFile::path)
        .containsExactly(TARGET + "/nova/gone.py");
    assertThat(r2.changed().get(0).sha256()).isEqualTo(r0.changed().get(0).sha256());
  }

  @Test
  void apply_patchSavedWithCrlf_appliesToLfFilesKeepingLf() throws Exception {
    repo.write("nova/gone.py", "gone = 0\n");
    String lf = repo.git("diff");
    byte[] crlf = lf.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);

    PatchResult result = apply(crlf, PatchOptions.defaults());

    assertThat(Files.readString(result.changed().get(0).content())).isEqualTo("gone = 0\n");
  }

  @Test
  void apply_fileMissingInImage_failsNamingIt() {
    repo.write("nova/gone.py", "gone = 0\n");
    byte[] diff = repo.gitBytes("diff");

    assertThatThrownBy(() -> new PatchEngine(PatchOptions.defaults()).apply(
        ParsedPatch.parse(new ByteArrayInputStream(diff), "x.patch", PatchOptions.defaults()),
        DirectoryFileSource.of(image), "usr/lib/python2.7/site-packages", work, "nova-api"))
        .isInstanceOf(PatchException.class)
        .hasMessageContaining("usr/lib/python2.7/site-packages/nova/gone.py")
        .hasMessageContaining("does not exist in image nova-api");
  }

  @Test
  void apply_lfPatchOverCrlfFileInImage_keepsCrlfIncludingAddedLines() throws Exception {
    repo.write("nova/gone.py", "gone = True\nadded = 1\n");
    byte[] diff = repo.gitBytes("diff");
    Files.writeString(image.resolve(TARGET).resolve("nova/gone.py"), "gone = True\r\n");

    PatchResult result = apply(diff, PatchOptions.defaults());

    assertThat(Files.readString(result.changed().get(0).content()))
        .isEqualTo("gone = True\r\nadded = 1\r\n");
  }

  @Test
  void apply_modeChange_keepsTheImagesOtherBitsAndOwner() throws Exception {
    repo.chmod("bin/run.sh", "rwxr-xr-x");
    byte[] diff = repo.gitBytes("diff");
    Path inImage = image.resolve(TARGET).resolve("bin/run.sh");
    Files.setPosixFilePermissions(inImage,
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));

    PatchResult result = apply(diff, PatchOptions.defaults());

    ChangedFile run = result.changed().get(0);
    assertThat(run.mode()).isEqualTo(0750);
    assertThat(run.uid()).isEqualTo(Files.getAttribute(inImage, "unix:uid"));
    assertThat(run.gid()).isEqualTo(Files.getAttribute(inImage, "unix:gid"));
    assertThat(Files.readString(run.content())).isEqualTo("#!/bin/sh\necho run\n");
  }

  @Test
  void apply_pureRename_copiesContentThrough() throws Exception {
    repo.git("mv", "nova/api.py", "nova/api_v2.py");
    byte[] diff = repo.gitBytes("diff", "--cached", "-M");
    assertThat(new String(diff, StandardCharsets.UTF_8)).contains("similarity index 100%");

    PatchResult result = apply(diff, PatchOptions.defaults());

    assertThat(result.deleted()).containsExactly(TARGET + "/nova/api.py");
    assertThat(result.changed()).extracting(ChangedFile::path)
        .containsExactly(TARGET + "/nova/api_v2.py");
    assertThat(result.changed().get(0).content())
        .hasSameBinaryContentAs(repo.dir().resolve("nova/api_v2.py"));
  }

  @Test
  void apply_targetDirIsASymlink_resultsNameTheRealDirectory() throws Exception {
    Path linked = image.resolve(TARGET);
    Path real = image.resolve("usr/share/real-site");
    Files.createDirectories(real.getParent());
    Files.move(linked, real);
    Files.createSymbolicLink(linked, Path.of("../../share/real-site"));
    repo.write("nova/gone.py", "gone = 0\n");

    PatchResult result = apply(repo.gitBytes("diff"), PatchOptions.defaults());

    assertThat(result.changed()).extracting(ChangedFile::path)
        .containsExactly("usr/share/real-site/nova/gone.py");
  }

  @Test
  void apply_zeroContextDiff_insertsRemovesAndReplaces() {
    String api = repo.git("show", "HEAD:nova/api.py").replace("line 5\n", "line 5\nnew 5a\n")
        .replace("line 12\n", "").replace("line 30\n", "thirty\n");
    repo.write("nova/api.py", api);
    byte[] diff = repo.gitBytes("diff", "-U0");

    PatchResult result = apply(diff, PatchOptions.defaults());

    materialise(result, image);
    Path expected = tmp.resolve("expected");
    repo.exportTo(expected.resolve(TARGET));
    assertSameTree(image, expected);
  }

  PatchResult apply(byte[] patch, PatchOptions options) {
    ParsedPatch parsed =
        ParsedPatch.parse(new ByteArrayInputStream(patch), "change.patch", options);
    return new PatchEngine(options).apply(parsed, DirectoryFileSource.of(image), "/" + TARGET,
        work, "nova-api");
  }

  static ChangedFile find(PatchResult r, String rel) {
    return r.changed().stream().filter(f -> f.path().equals(TARGET + "/" + rel)).findFirst()
        .orElseThrow();
  }
}
