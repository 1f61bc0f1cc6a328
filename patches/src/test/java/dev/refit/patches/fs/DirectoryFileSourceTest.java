package dev.refit.patches.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryFileSourceTest {

  @TempDir Path root;

  @Test
  void entry_reportsTypeModeSizeAndLinks_withoutFollowing() throws Exception {
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/app.conf"), "hello");
    Files.setPosixFilePermissions(root.resolve("etc/app.conf"),
        PosixFilePermissions.fromString("rwxr-x---"));
    Files.createSymbolicLink(root.resolve("link"), Paths.get("etc"));
    DirectoryFileSource src = DirectoryFileSource.of(root);

    FileEntry file = src.entry("./etc//app.conf").orElseThrow();
    assertThat(file.type()).isEqualTo(EntryType.FILE);
    assertThat(file.path()).isEqualTo("etc/app.conf");
    assertThat(file.mode()).isEqualTo(0750);
    assertThat(file.size()).isEqualTo(5);
    FileEntry link = src.entry("link").orElseThrow();
    assertThat(link.type()).isEqualTo(EntryType.SYMLINK);
    assertThat(link.linkTarget()).isEqualTo("etc");
    assertThat(src.entry("link/app.conf")).isEmpty();
    assertThat(src.entry("missing")).isEmpty();
    assertThat(src.entry("").orElseThrow().isDirectory()).isTrue();
  }

  @Test
  void list_isSortedByName_andOpenStreamsFilesOnly() throws Exception {
    Files.writeString(root.resolve("b"), "B");
    Files.writeString(root.resolve("a"), "A");
    Files.createDirectories(root.resolve("c"));
    DirectoryFileSource src = DirectoryFileSource.of(root);

    assertThat(src.list("")).extracting(FileEntry::path).containsExactly("a", "b", "c");
    assertThat(src.list("a")).isEmpty();
    try (InputStream in = src.open("b")) {
      assertThat(new String(in.readAllBytes())).isEqualTo("B");
    }
    assertThatThrownBy(() -> src.open("c")).isInstanceOf(IOException.class)
        .hasMessageContaining("not a regular file");
    assertThatThrownBy(() -> src.entry("../outside")).isInstanceOf(UnsafePathException.class);
  }
}
