package dev.refit.registry.store.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreLockTest {
  @Test
  void acquire_whileHeld_failsNamingTheHolder(@TempDir Path root) {
    try (StoreLock held = StoreLock.acquire(root)) {
      assertThatThrownBy(() -> StoreLock.acquire(root))
          .isInstanceOf(StoreLock.StoreInUseException.class)
          .hasMessageContaining("in use by process " + ProcessHandle.current().pid())
          .satisfies(e -> assertThat(((StoreLock.StoreInUseException) e).hint())
              .contains("--registry"));
    }
  }

  @Test
  void acquire_afterClose_succeeds_andCloseTwiceIsSafe(@TempDir Path root) {
    StoreLock first = StoreLock.acquire(root);
    first.close();
    first.close();
    try (StoreLock second = StoreLock.acquire(root)) {
      assertThat(root.resolve(StoreLock.FILE)).exists();
    }
  }

  @Test
  void lockFile_isInvisibleToTheStore(@TempDir Path root) {
    try (StoreLock held = StoreLock.acquire(root)) {
      FsStore store = FsStore.open(root, StoreOptions.defaults());
      assertThat(store.repositories()).isEmpty();
      assertThat(new StoreVerifier(store).verify().ok()).isTrue();
    }
  }

  @Test
  void served_afterAdvertise_readsItBack_andANewHolderClearsIt(@TempDir Path root) {
    try (StoreLock held = StoreLock.acquire(root)) {
      assertThat(StoreLock.served(root)).isEmpty();
      held.advertise("http://127.0.0.1:5050", true);
      assertThat(StoreLock.served(root)).contains(new StoreLock.Served(
          Long.toString(ProcessHandle.current().pid()), "http://127.0.0.1:5050", true));
      assertThatThrownBy(() -> StoreLock.acquire(root))
          .hasMessageContaining("in use by process " + ProcessHandle.current().pid() + " ");
    }
    try (StoreLock next = StoreLock.acquire(root)) {
      assertThat(StoreLock.served(root)).isEmpty();
    }
  }
}
