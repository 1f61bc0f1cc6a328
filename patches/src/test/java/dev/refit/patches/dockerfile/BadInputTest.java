package dev.refit.patches.dockerfile;

import static dev.refit.patches.dockerfile.TestInputs.base;
import static dev.refit.patches.dockerfile.TestInputs.changed;
import static dev.refit.patches.dockerfile.TestInputs.patch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.patches.engine.ChangedFile;
import dev.refit.patches.engine.PatchResult;
import dev.refit.patches.fs.UnsafePathException;
import dev.refit.registry.oci.ImageRef;
import dev.refit.settings.config.DockerfileStyle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3 section 6 for the Dockerfile and archive stage: each bad input gets a clear message
 * and leaves no output (no archive, no temp file) behind.
 */
class BadInputTest {

  @TempDir Path work;
  @TempDir Path out;

  private final DockerfileWriter copy = new DockerfileWriter(DockerfileStyle.COPY);

  @ParameterizedTest
  @ValueSource(strings = {"../etc/passwd", "etc/../../passwd", "/etc/passwd", "etc//passwd", "./etc/passwd",
      "etc/passwd/", "etc/pa\0sswd"})
  void write_unsafeChangedPath_isRefusedAndNothingWritten(String path) throws Exception {
    ChangedFile bad = changed(work, path, "x");
    ImagePatches image = new ImagePatches("svc", base("svc"), "", List.of(patch("I1")),
        new PatchResult(List.of(changed(work, "etc/ok", "ok"), bad), List.of()));

    assertThatThrownBy(() -> PatchesArchive.write(copy.writeAll(List.of(image)), out.resolve(PatchesArchive.FILE_NAME)))
        .isInstanceOf(UnsafePathException.class)
        .hasMessageContaining("unsafe path")
        .hasMessageContaining("image svc");
    assertThat(PatchesArchiveTest.dirListing(out)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".", "/", "..", "../..", "usr/../..", "/usr/share/doc"})
  void write_unsafeDeletedPath_isRefused(String path) {
    ImagePatches image = new ImagePatches("svc", base("svc"), "", List.of(patch("I1")),
        new PatchResult(List.of(), List.of(path)));

    assertThatThrownBy(() -> copy.write(image))
        .isInstanceOf(UnsafePathException.class)
        .hasMessageContaining("image svc");
  }

  @Test
  void write_apexTargetDirEscaping_isRefused() throws Exception {
    Path f = Files.writeString(work.resolve("p.patch"), "--- a/x\n+++ b/x\n");
    ImagePatches image = new ImagePatches("svc", base("svc"), "", List.of(patch("I1").withPatchFile(f, "../../etc")),
        PatchResult.empty());

    assertThatThrownBy(() -> new DockerfileWriter(DockerfileStyle.APEX).write(image))
        .isInstanceOf(UnsafePathException.class)
        .hasMessageContaining("target directory of patch I1");
  }

  @Test
  void writeAll_noImages_isRefusedWithAClearMessage() {
    assertThatThrownBy(() -> copy.writeAll(List.of()))
        .isInstanceOf(DockerfileException.class)
        .hasMessageContaining("no patched images given");
  }

  @Test
  void archive_noContexts_isRefusedAndNothingWritten() throws Exception {
    Path target = out.resolve(PatchesArchive.FILE_NAME);
    assertThatThrownBy(() -> PatchesArchive.write(List.of(), target))
        .isInstanceOf(DockerfileException.class)
        .hasMessageContaining("no build contexts given").hasMessageContaining("an archive without images is refused");
    assertThat(PatchesArchiveTest.dirListing(out)).isEmpty();
  }

  @Test
  void write_emptyPatchResult_isRefused() {
    ImagePatches image = new ImagePatches("svc", base("svc"), "", List.of(patch("I1")), PatchResult.empty());
    assertThatThrownBy(() -> copy.write(image))
        .isInstanceOf(DockerfileException.class)
        .hasMessageContaining("image svc").hasMessageContaining("patch result is empty");
  }

  @Test
  void imagePatches_noPatches_isRefused() {
    PatchResult result = new PatchResult(List.of(changed(work, "f", "x")), List.of());
    assertThatThrownBy(() -> new ImagePatches("svc", base("svc"), "", List.of(), result))
        .isInstanceOf(DockerfileException.class)
        .hasMessageContaining("image svc").hasMessageContaining("no applied patches");
  }

  @Test
  void imagePatches_baseWithoutDigest_isRefused() {
    PatchResult result = new PatchResult(List.of(changed(work, "f", "x")), List.of());
    assertThatThrownBy(() -> new ImagePatches("svc", ImageRef.parse("127.0.0.1:8787/svc:latest"), "",
        List.of(patch("I1")), result))
        .isInstanceOf(DockerfileException.class)
        .hasMessageContaining("not pinned by digest");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Nova", "../x", "a/b", "-x", "x y"})
  void imagePatches_badServiceName_isRefused(String service) {
    PatchResult result = new PatchResult(List.of(changed(work, "f", "x")), List.of());
    assertThatThrownBy(() -> new ImagePatches(service, base("svc"), "", List.of(patch("I1")), result))
        .isInstanceOf(DockerfileException.class)
        .hasMessageContaining("invalid service name");
  }

  @Test
  void write_pathBothChangedAndDeleted_isRefused() {
    ImagePatches image = new ImagePatches("svc", base("svc"), "", List.of(patch("I1")),
        new PatchResult(List.of(changed(work, "etc/x", "x")), List.of("etc/x")));
    assertThatThrownBy(() -> copy.write(image))
        .isInstanceOf(DockerfileException.class)
        .hasMessageContaining("both changes and deletes etc/x");
  }

  @Test
  void write_badMode_isRefused() {
    ImagePatches image = new ImagePatches("svc", base("svc"), "", List.of(patch("I1")),
        new PatchResult(List.of(changed(work, "etc/x", "x", 0100644, 0, 0)), List.of()));
    assertThatThrownBy(() -> copy.write(image))
        .isInstanceOf(DockerfileException.class)
        .hasMessageContaining("etc/x").hasMessageContaining("100644");
  }

  @Test
  void archive_contentChangedMidWrite_failsAndLeavesNoArchiveOrTempFile() throws Exception {
    ChangedFile good = changed(work, "a/first", "first file, written before the failure");
    ChangedFile later = changed(work, "z/last", "original");
    ImagePatches image = new ImagePatches("svc", base("svc"), "", List.of(patch("I1")),
        new PatchResult(List.of(good, later), List.of()));
    List<BuildContext> contexts = copy.writeAll(List.of(image));
    Files.writeString(later.content(), "tampered"); // same size, other bytes: found only while streaming

    assertThatThrownBy(() -> PatchesArchive.write(contexts, out.resolve(PatchesArchive.FILE_NAME)))
        .isInstanceOf(DockerfileException.class)
        .hasMessageContaining("image svc").hasMessageContaining("files/z/last")
        .hasMessageContaining("changed after it was patched").hasMessageContaining("run the patch stage again");
    assertThat(PatchesArchiveTest.dirListing(out)).isEmpty();
  }

  @Test
  void archive_contentTruncatedOrGrown_failsAndKeepsThePreviousArchive() throws Exception {
    ChangedFile f = changed(work, "etc/conf", "12345");
    ImagePatches image = new ImagePatches("svc", base("svc"), "", List.of(patch("I1")),
        new PatchResult(List.of(f), List.of()));
    List<BuildContext> contexts = copy.writeAll(List.of(image));
    Path target = out.resolve(PatchesArchive.FILE_NAME);
    Files.writeString(target, "previous archive");

    Files.writeString(f.content(), "123");
    assertThatThrownBy(() -> PatchesArchive.write(contexts, target))
        .isInstanceOf(DockerfileException.class).hasMessageContaining("shorter than the expected 5 bytes");
    Files.writeString(f.content(), "1234567");
    assertThatThrownBy(() -> PatchesArchive.write(contexts, target))
        .isInstanceOf(DockerfileException.class).hasMessageContaining("longer than the expected 5 bytes");
    Files.delete(f.content());
    assertThatThrownBy(() -> PatchesArchive.write(contexts, target))
        .isInstanceOf(DockerfileException.class).hasMessageContaining("cannot write");

    assertThat(PatchesArchiveTest.dirListing(out)).containsExactly(PatchesArchive.FILE_NAME);
    assertThat(Files.readString(target)).isEqualTo("previous archive");
  }

  @Test
  void archive_missingOutputDirectory_isRefusedAndNothingCreated() throws Exception {
    ImagePatches image = new ImagePatches("svc", base("svc"), "", List.of(patch("I1")),
        new PatchResult(List.of(changed(work, "f", "x")), List.of()));
    Path target = out.resolve("missing/" + PatchesArchive.FILE_NAME);

    assertThatThrownBy(() -> PatchesArchive.write(copy.writeAll(List.of(image)), target))
        .isInstanceOf(DockerfileException.class).hasMessageContaining("does not exist");
    assertThat(PatchesArchiveTest.dirListing(out)).isEmpty();
  }
}
