package dev.refit.registry.store.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.registry.oci.Digest;
import dev.refit.registry.store.BlobUnknownException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FsRepositoriesTest {
  @TempDir Path root;
  private FsStore store;

  @BeforeEach
  void open() {
    store = FsStore.open(root, StoreOptions.defaults());
  }

  @Test
  void link_committedBlob_linkedOnlyInThatRepo() {
    Digest d = Fixtures.blob(store, "layer");
    store.link("a/b", d);
    store.link("a/b", d);

    assertThat(store.isLinked("a/b", d)).isTrue();
    assertThat(store.isLinked("a", d)).isFalse();
    assertThat(store.unlink("a/b", d)).isTrue();
    assertThat(store.isLinked("a/b", d)).isFalse();
    assertThat(store.unlink("a/b", d)).isFalse();
    assertThat(store.stat(d)).isPresent();
  }

  @Test
  void link_missingBlob_failsWithBlobUnknown() {
    Digest missing = Digest.sha256(new byte[] {42});
    assertThatThrownBy(() -> store.link("a", missing))
        .isInstanceOf(BlobUnknownException.class)
        .hasMessageContaining(missing.toString());
    assertThat(store.repositories()).isEmpty();
  }

  @Test
  void repositories_sortedIncludingNested_andVanishWhenEmpty() {
    Digest d = Fixtures.blob(store, "x");
    store.link("zeta", d);
    store.link("library/ubuntu", d);
    store.link("library", d);
    Fixtures.pushImage(store, "tripleo/nova-api", "latest", 1);
    store.unlink("tripleo/nova-api", Fixtures.blob(store, "unrelated"));

    assertThat(store.repositories())
        .containsExactly("library", "library/ubuntu", "tripleo/nova-api", "zeta");

    store.unlink("zeta", d);
    assertThat(store.repositories()).doesNotContain("zeta");
  }

  @Test
  void isLinked_blobDeletedFromStore_false() {
    Digest d = Fixtures.blob(store, "soon gone");
    store.link("a", d);
    store.delete(d);
    assertThat(store.isLinked("a", d)).isFalse();
  }
}
