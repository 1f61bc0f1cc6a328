package dev.refit.patches.engine;

import static dev.refit.patches.engine.TreeAssertions.fileCount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.patches.fs.DirectoryFileSource;
import dev.refit.patches.fs.UnsafePathException;
import dev.refit.registry.oci.Digest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeDeltaTest {

  static final String TARGET = "usr/lib/python3/site-packages";

  @TempDir Path tmp;
  Path image;
  Path tree;
  Path work;

  @BeforeEach
  void setUp() throws Exception {
    image = tmp.resolve("image");
    tree = tmp.resolve("tree");
    work = tmp.resolve("work");
    Path t = image.resolve(TARGET);
    write(t.resolve("nova/same.py"), "same\n");
    write(t.resolve("nova/samesize.py"), "abcd\n");
    write(t.resolve("nova/grown.py"), "short\n");
    write(t.resolve("nova/only_in_image.py"), "old\n");
    write(t.resolve("legacy/a.py"), "a\n");
    write(t.resolve("legacy/b.py"), "b\n");
    write(tree.resolve("nova/same.py"), "same\n");
    write(tree.resolve("nova/samesize.py"), "wxyz\n");
    write(tree.resolve("nova/grown.py"), "much longer now\n");
    write(tree.resolve("nova/sub/new.py"), "new\n");
    write(tree.resolve("bin/tool"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(tree.resolve("bin/tool"),
        PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void compute_keepsOnlyNewOrDifferentFiles_sorted() throws Exception {
    PatchResult r = compute(false);

    assertThat(r.changed()).extracting(ChangedFile::path).containsExactly(
        TARGET + "/bin/tool", TARGET + "/nova/grown.py", TARGET + "/nova/samesize.py",
        TARGET + "/nova/sub/new.py");
    assertThat(r.deleted()).isEmpty();
    ChangedFile same = r.changed().get(2);
    assertThat(Files.readString(same.content())).isEqualTo("wxyz\n");
    assertThat(same.sha256()).isEqualTo(Digest.sha256("wxyz\n".getBytes()));
    assertThat(same.size()).isEqualTo(5);
    assertThat(r.changed().get(0).mode()).isEqualTo(0755);
    assertThat(fileCount(work)).isEqualTo(4);
  }

  @Test
  void compute_deleteMissing_listsAbsentFilesAndWholeDirectories() {
    PatchResult r = compute(true);

    assertThat(r.deleted()).containsExactly(TARGET + "/legacy", TARGET + "/nova/only_in_image.py");
  }

  @Test
  void compute_twice_givesTheSameResult() {
    PatchResult a = compute(true);
    PatchResult b = compute(true);

    assertThat(b.changed()).extracting(ChangedFile::path, ChangedFile::sha256, ChangedFile::mode)
        .containsExactlyElementsOf(a.changed().stream()
            .map(f -> org.assertj.core.groups.Tuple.tuple(f.path(), f.sha256(), f.mode()))
            .toList());
    assertThat(b.deleted()).isEqualTo(a.deleted());
  }

  @Test
  void compute_treeWithSymlink_isRefusedAndLeavesNothing() throws Exception {
    Files.createSymbolicLink(tree.resolve("nova/zz_link"), Paths.get("grown.py"));

    assertThatThrownBy(() -> compute(false))
        .isInstanceOf(PatchException.class).hasMessageContaining("nova/zz_link is a symlink");
    assertThat(fileCount(work)).isZero();
  }

  @Test
  void compute_imagePathThroughSymlink_isRefused() throws Exception {
    Path nova = image.resolve(TARGET).resolve("nova");
    Files.move(nova, image.resolve("elsewhere"));
    Files.createSymbolicLink(nova, Paths.get("/elsewhere"));

    assertThatThrownBy(() -> compute(false))
        .isInstanceOf(UnsafePathException.class).hasMessageContaining("outside the target");
  }

  PatchResult compute(boolean deleteMissing) {
    return TreeDelta.compute(DirectoryFileSource.of(tree), DirectoryFileSource.of(image),
        "/" + TARGET, deleteMissing, work);
  }

  static void write(Path p, String s) throws Exception {
    Files.createDirectories(p.getParent());
    Files.writeString(p, s);
  }
}
