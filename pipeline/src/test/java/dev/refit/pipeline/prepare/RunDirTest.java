package dev.refit.pipeline.prepare;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Run directories: a live one is kept, one nobody holds the lock of is removed. */
class RunDirTest {
  @TempDir Path cache;

  @Test
  void create_leftoverWithFreeLock_isRemoved() throws Exception {
    Path stale = Files.createDirectories(cache.resolve(RunDir.PREFIX + "killed"));
    Files.createFile(stale.resolve(RunDir.LOCK_FILE));
    Files.createDirectories(stale.resolve("work/nova-api"));

    try (RunDir run = RunDir.create(cache)) {
      assertThat(stale).doesNotExist();
      assertThat(run.path()).isDirectory().hasFileName(run.path().getFileName().toString());
    }
  }

  @Test
  void create_whileAnotherRunLives_keepsIts_andCloseRemovesOwn() throws Exception {
    try (RunDir live = RunDir.create(cache)) {
      RunDir second = RunDir.create(cache);
      assertThat(live.path()).isDirectory();
      second.close();
      assertThat(second.path()).doesNotExist();
      assertThat(live.path()).isDirectory();
    }
    try (var left = Files.list(cache)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void removeStale_unlockedDir_onlyOnceOld() throws Exception {
    Path fresh = Files.createDirectories(cache.resolve(RunDir.PREFIX + "fresh"));
    Path old = Files.createDirectories(cache.resolve(RunDir.PREFIX + "old"));
    Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
    Path other = Files.createDirectories(cache.resolve("registry"));

    assertThat(RunDir.removeStale(cache)).containsExactly(old);
    assertThat(fresh).isDirectory();
    assertThat(other).isDirectory();
  }
}
