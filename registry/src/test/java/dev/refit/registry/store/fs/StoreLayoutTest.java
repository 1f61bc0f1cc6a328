package dev.refit.registry.store.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.registry.oci.Digest;
import dev.refit.registry.store.InvalidRepositoryNameException;
import dev.refit.registry.store.InvalidTagException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreLayoutTest {
  @TempDir Path root;

  @Test
  void paths_followTheDocumentedTree() {
    StoreLayout layout = new StoreLayout(root);
    Digest d = Digest.sha256(new byte[] {1});
    Digest s = Digest.sha256(new byte[] {2});
    String hex = d.hex();

    assertThat(root.relativize(layout.blob(d)))
        .isEqualTo(Path.of("blobs", "sha256", hex.substring(0, 2), hex));
    assertThat(root.relativize(layout.layerLink("a/b", d)))
        .isEqualTo(Path.of("repositories", "a", "b", "_layers", "sha256", hex));
    assertThat(root.relativize(layout.revision("a", d)))
        .isEqualTo(Path.of("repositories", "a", "_manifests", "revisions", "sha256", hex));
    assertThat(root.relativize(layout.tag("a", "v1.0")))
        .isEqualTo(Path.of("repositories", "a", "_manifests", "tags", "v1.0"));
    assertThat(root.relativize(layout.referrer("a", s, d)))
        .isEqualTo(Path.of("repositories", "a", "_referrers", "sha256", s.hex(), "sha256", hex));
  }

  @Test
  void paths_untrustedInput_neverLeaveRoot() {
    StoreLayout layout = new StoreLayout(root);
    assertThatThrownBy(() -> layout.repository("../../etc"))
        .isInstanceOf(InvalidRepositoryNameException.class);
    assertThatThrownBy(() -> layout.tag("a", "..")).isInstanceOf(InvalidTagException.class);
    assertThatThrownBy(() -> layout.tag("a", "../x")).isInstanceOf(InvalidTagException.class);
    assertThatThrownBy(() -> layout.upload("../../x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> layout.contained(root.resolve("blobs/../../outside")))
        .hasMessageContaining("outside the store root");
    assertThat(layout.contained(root.resolve("blobs/./x"))).isEqualTo(root.resolve("blobs/x"));
  }

  @Test
  void tagGrammar_matchesDistributionSpec() {
    StoreLayout.validateTag("latest");
    StoreLayout.validateTag("_");
    StoreLayout.validateTag("A".repeat(128));
    assertThatThrownBy(() -> StoreLayout.validateTag("A".repeat(129)))
        .isInstanceOf(InvalidTagException.class);
    assertThatThrownBy(() -> StoreLayout.validateTag("-x")).isInstanceOf(InvalidTagException.class);
    assertThatThrownBy(() -> StoreLayout.validateTag("")).isInstanceOf(InvalidTagException.class);
    assertThatThrownBy(() -> StoreLayout.validateTag(null)).isInstanceOf(InvalidTagException.class);
  }
}
