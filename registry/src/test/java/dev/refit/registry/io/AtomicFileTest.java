package dev.refit.registry.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
  @TempDir Path dir;

  private Stream<String> names() throws Exception {
    return Files.list(dir).map(p -> p.getFileName().toString()).sorted();
  }

  @Test
  void write_newTargetInMissingDirectory_createsItWithTheBytesAndNoTempLeft() throws Exception {
    Path target = dir.resolve("sub/index.json");

    AtomicFile.write(target, "{}".getBytes(StandardCharsets.UTF_8));

    assertThat(target).hasContent("{}");
    assertThat(Files.list(target.getParent())).containsExactly(target);
  }

  @Test
  void write_existingTarget_replacesItsContent() throws Exception {
    Path target = dir.resolve("a.txt");
    Files.writeString(target, "old and longer");

    AtomicFile.write(target, "new".getBytes(StandardCharsets.UTF_8));

    assertThat(target).hasContent("new");
    assertThat(names()).containsExactly("a.txt");
  }

  @Test
  void close_withoutCommit_keepsTheOldTargetAndRemovesTheTemp() throws Exception {
    Path target = dir.resolve("a.txt");
    Files.writeString(target, "old");

    try (AtomicFile file = AtomicFile.of(target); OutputStream out = file.output()) {
      out.write("half of the ne".getBytes(StandardCharsets.UTF_8));
      assertThat(file.temp()).exists().hasParent(dir);
    }

    assertThat(target).hasContent("old");
    assertThat(names()).containsExactly("a.txt");
  }

  @Test
  void temp_mtimeSetBeforeCommit_targetAppearsWithIt() throws Exception {
    Path target = dir.resolve("artifact.bin");
    FileTime then = FileTime.from(Instant.parse("2020-01-02T03:04:05Z"));

    try (AtomicFile file = AtomicFile.of(target)) {
      Files.writeString(file.temp(), "x");
      Files.setLastModifiedTime(file.temp(), then);
      file.commit();
    }

    assertThat(Files.getLastModifiedTime(target)).isEqualTo(then);
  }

  @Test
  void in_commitToNameChosenAfterWriting_movesIntoPlace() throws Exception {
    try (AtomicFile file = AtomicFile.in(dir)) {
      Files.writeString(file.temp(), "blob");
      assertThat(file.temp().getFileName().toString()).startsWith(".");
      file.commit(dir.resolve("cafe"));
    }

    assertThat(dir.resolve("cafe")).hasContent("blob");
    assertThat(names()).containsExactly("cafe");
  }

  @Test
  void commit_targetInAnotherDirectory_isRefusedAndLeavesNothing() throws Exception {
    Files.createDirectories(dir.resolve("other"));
    try (AtomicFile file = AtomicFile.in(dir)) {
      assertThatThrownBy(() -> file.commit(dir.resolve("other/x")))
          .isInstanceOf(IllegalArgumentException.class);
    }

    assertThat(names()).containsExactly("other");
  }

  @Test
  void commit_withoutTargetFromIn_failsAndTwice_fails() throws Exception {
    try (AtomicFile file = AtomicFile.in(dir)) {
      assertThatThrownBy(file::commit).isInstanceOf(IllegalStateException.class);
      file.commit(dir.resolve("once"));
      assertThatThrownBy(() -> file.commit(dir.resolve("twice"))).isInstanceOf(IllegalStateException.class);
    }

    assertThat(names()).containsExactly("once");
  }

  @Test
  void move_ontoExistingFile_replacesIt() throws Exception {
    Path source = Files.writeString(dir.resolve("source"), "new");
    Path target = Files.writeString(Files.createDirectories(dir.resolve("sub")).resolve("target"), "old");

    AtomicFile.move(source, target);

    assertThat(target).hasContent("new");
    assertThat(source).doesNotExist();
  }
}
