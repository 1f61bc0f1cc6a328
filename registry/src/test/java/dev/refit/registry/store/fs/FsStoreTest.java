package dev.refit.registry.store.fs;

import dev.refit.registry.store.BlobStore;
import dev.refit.registry.store.BlobStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Runs the blob store contract against the filesystem store. */
class FsStoreTest extends BlobStoreContract {
  @TempDir Path root;
  private FsStore store;

  @BeforeEach
  void open() {
    store = FsStore.open(root, StoreOptions.defaults());
  }

  @Override
  protected BlobStore store() {
    return store;
  }

  @Override
  protected BlobStore reopen() {
    return FsStore.open(root, StoreOptions.defaults());
  }
}
