package dev.refit.patches.engine;

import static dev.refit.patches.engine.TreeAssertions.fileCount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.patches.fs.DirectoryFileSource;
import dev.refit.patches.fs.UnsafePathException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Section 6 bad input for the engine: each is refused with a clear message, nothing written. */
class PatchBadInputTest {

  static final String TARGET = "usr/lib/python3.9/site-packages";

  @TempDir Path tmp;
  GitRepo repo;
  Path image;
  Path work;

  @BeforeEach
  void setUp() throws Exception {
    repo = GitRepo.init(Files.createDirectories(tmp.resolve("repo")));
    repo.write("nova/gone.py", "gone = True\n").write("nova/api.py", "a\nb\nc\n")
        .writeBytes("nova/blob.bin", new byte[] {1, 0, 2, 0, 3})
        .commitAll("base");
    image = tmp.resolve("image");
    repo.exportTo(image.resolve(TARGET));
    work = tmp.resolve("work");
  }

  @Test
  void parse_binaryGitPatch_isRefused() {
    repo.writeBytes("nova/blob.bin", new byte[] {9, 0, 9, 0});
    byte[] withBinary = repo.gitBytes("diff", "--binary");
    byte[] withoutBinary = repo.gitBytes("diff");

    assertThatThrownBy(() -> parse(withBinary, PatchOptions.defaults()))
        .isInstanceOf(BinaryPatchException.class)
        .hasMessageContaining("change.patch").hasMessageContaining("nova/blob.bin");
    assertThatThrownBy(() -> parse(withoutBinary, PatchOptions.defaults()))
        .isInstanceOf(BinaryPatchException.class).hasMessageContaining("binary");
  }

  @Test
  void parse_emptyOrNoDiff_isRefused() {
    assertThatThrownBy(() -> parse(new byte[0], PatchOptions.defaults()))
        .isInstanceOf(EmptyPatchException.class).hasMessageContaining("change.patch is empty");
    assertThatThrownBy(() -> parse("just words\nno diff here\n".getBytes(StandardCharsets.UTF_8),
        PatchOptions.defaults()))
        .isInstanceOf(EmptyPatchException.class);
  }

  @Test
  void parse_overTheLimit_isRefusedWhileStreaming() {
    long limit = 4096;
    long[] served = {0};
    InputStream endless = new InputStream() {
      @Override
      public int read() {
        served[0]++;
        return 'x';
      }

      @Override
      public int read(byte[] b, int off, int len) {
        java.util.Arrays.fill(b, off, off + len, (byte) 'x');
        served[0] += len;
        return len;
      }
    };

    assertThatThrownBy(() -> ParsedPatch.parse(endless, "huge.patch",
        PatchOptions.defaults().withMaxPatchBytes(limit)))
        .isInstanceOf(PatchTooLargeException.class)
        .hasMessageContaining("huge.patch").hasMessageContaining("4096 bytes");
    assertThat(served[0]).isLessThan(limit + 128 * 1024);
    assertThat(PatchOptions.defaults().maxPatchBytes()).isEqualTo(64L * 1024 * 1024);
  }

  @Test
  void apply_traversalPath_isRefused() {
    String patch = "--- a/nova/../../../../etc/passwd\n+++ b/nova/../../../../etc/passwd\n"
        + "@@ -1 +1 @@\n-root\n+evil\n";

    assertThatThrownBy(() -> apply(patch, PatchOptions.defaults()))
        .isInstanceOf(UnsafePathException.class).hasMessageContaining("'..'");
    assertThat(fileCount(work)).isZero();
  }

  @Test
  void apply_absolutePath_isRefused() {
    String patch = "--- /etc/passwd\n+++ /etc/passwd\n@@ -1 +1 @@\n-root\n+evil\n";

    assertThatThrownBy(() -> apply(patch, PatchOptions.defaults().withStripLevel(0)))
        .isInstanceOf(UnsafePathException.class).hasMessageContaining("absolute");
  }

  @Test
  void apply_throughSymlinkLeavingTarget_isRefused() throws Exception {
    Path nova = image.resolve(TARGET).resolve("nova");
    Files.move(nova, image.resolve("etc-real"));
    Files.createSymbolicLink(nova, Paths.get("/etc-real"));
    repo.write("nova/gone.py", "gone = False\n");

    assertThatThrownBy(() -> apply(repo.git("diff"), PatchOptions.defaults()))
        .isInstanceOf(UnsafePathException.class)
        .hasMessageContaining("goes through symlink " + TARGET + "/nova -> /etc-real")
        .hasMessageContaining("outside the target directory");
    assertThat(fileCount(work)).isZero();
  }

  @Test
  void apply_writeThroughSymlinkInsideTarget_isRefused() throws Exception {
    Files.createSymbolicLink(image.resolve(TARGET).resolve("nova/link.py"), Paths.get("gone.py"));
    Files.createSymbolicLink(image.resolve(TARGET).resolve("alias"), Paths.get("nova"));
    String viaFile = "--- a/nova/link.py\n+++ b/nova/link.py\n@@ -1 +1 @@\n-gone = True\n"
        + "+gone = False\n";
    String viaDir = viaFile.replace("nova/link.py", "alias/gone.py");

    assertThatThrownBy(() -> apply(viaFile, PatchOptions.defaults()))
        .isInstanceOf(UnsafePathException.class)
        .hasMessageContaining("is symlink " + TARGET + "/nova/link.py -> gone.py")
        .hasMessageContaining("never writes through symlinks");
    assertThatThrownBy(() -> apply(viaDir, PatchOptions.defaults()))
        .isInstanceOf(UnsafePathException.class)
        .hasMessageContaining("goes through symlink " + TARGET + "/alias -> nova");
  }

  @Test
  void apply_patchCreatingSymlink_isRefused() throws Exception {
    Files.createSymbolicLink(repo.dir().resolve("nova/ln"), Paths.get("api.py"));
    repo.git("add", "-A");

    assertThatThrownBy(() -> apply(repo.git("diff", "--cached"), PatchOptions.defaults()))
        .isInstanceOf(UnsafePathException.class).hasMessageContaining("symlink");
  }

  @Test
  void apply_secondFileConflicts_leavesNoWorkFilesBehind() throws Exception {
    repo.write("nova/api.py", "a\nB\nc\n").write("nova/gone.py", "gone = 1\n");
    byte[] diff = repo.gitBytes("diff");
    Files.writeString(image.resolve(TARGET).resolve("nova/gone.py"), "different\n");

    assertThatThrownBy(() -> apply(new String(diff, StandardCharsets.UTF_8),
        PatchOptions.defaults()))
        .isInstanceOf(PatchConflictException.class)
        .hasMessageContaining(TARGET + "/nova/gone.py");
    assertThat(fileCount(work)).isZero();
  }

  @Test
  void apply_createExistingFile_isRefused() throws Exception {
    repo.write("nova/new.py", "x\n");
    repo.git("add", "-A");
    byte[] diff = repo.gitBytes("diff", "--cached");
    Files.writeString(image.resolve(TARGET).resolve("nova/new.py"), "already\n");

    assertThatThrownBy(() -> apply(new String(diff, StandardCharsets.UTF_8),
        PatchOptions.defaults()))
        .isInstanceOf(PatchException.class).hasMessageContaining("already exists in image");
  }

  @Test
  void apply_renameOntoExistingFile_isRefused() throws Exception {
    repo.git("mv", "nova/gone.py", "nova/moved.py");
    byte[] diff = repo.gitBytes("diff", "--cached", "-M");
    Files.writeString(image.resolve(TARGET).resolve("nova/moved.py"), "in the way\n");

    assertThatThrownBy(() -> apply(new String(diff, StandardCharsets.UTF_8),
        PatchOptions.defaults()))
        .isInstanceOf(PatchException.class)
        .hasMessageContaining("renames " + TARGET + "/nova/gone.py to " + TARGET
            + "/nova/moved.py but that already exists in image nova-api");
    assertThat(fileCount(work)).isZero();
  }

  ParsedPatch parse(byte[] patch, PatchOptions options) {
    return ParsedPatch.parse(new ByteArrayInputStream(patch), "change.patch", options);
  }

  PatchResult apply(String patch, PatchOptions options) {
    ParsedPatch parsed = parse(patch.getBytes(StandardCharsets.UTF_8), options);
    return new PatchEngine(options).apply(parsed, DirectoryFileSource.of(image), TARGET, work,
        "nova-api");
  }
}
