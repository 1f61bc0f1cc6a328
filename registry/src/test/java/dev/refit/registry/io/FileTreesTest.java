package dev.refit.registry.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {
  @TempDir Path dir;

  @Test
  void delete_nestedTree_removesEveryEntryAndTheRoot() throws Exception {
    Path root = dir.resolve("root");
    Files.createDirectories(root.resolve("a/b/c"));
    Files.writeString(root.resolve("a/b/c/f"), "x");
    Files.writeString(root.resolve("a/g"), "y");
    Files.createDirectories(root.resolve("empty"));

    FileTrees.delete(root);

    assertThat(root).doesNotExist();
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void delete_missingRoot_isNoOp() throws Exception {
    FileTrees.delete(dir.resolve("absent"));

    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void delete_singleFile_removesIt() throws Exception {
    Path file = Files.writeString(dir.resolve("f"), "x");

    FileTrees.delete(file);

    assertThat(file).doesNotExist();
  }

  @Test
  void delete_linkToDirectoryOutside_removesTheLinkNotWhatItPointsTo() throws Exception {
    assumeThat(FileSystems.getDefault().supportedFileAttributeViews()).contains("posix");
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(outside.resolve("keep"), "x");
    Path root = Files.createDirectories(dir.resolve("root"));
    Files.createSymbolicLink(root.resolve("link"), outside);

    FileTrees.delete(root);

    assertThat(root).doesNotExist();
    assertThat(outside.resolve("keep")).hasContent("x");
  }
}
