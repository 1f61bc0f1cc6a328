package dev.refit.patches.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.registry.oci.Digest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PatchResultTest {

  static ChangedFile file(String path, String content) {
    return new ChangedFile(path, Path.of(path + ".work"), 0644, 0, 0, content.length(),
        Digest.sha256(content.getBytes()));
  }

  @Test
  void new_sortsChangedAndDeleted() {
    PatchResult r = new PatchResult(List.of(file("b", "1"), file("a", "2")), List.of("z", "y"));

    assertThat(r.changed()).extracting(ChangedFile::path).containsExactly("a", "b");
    assertThat(r.deleted()).containsExactly("y", "z");
  }

  @Test
  void merge_laterChangeAndDeletionWin() {
    PatchResult first = new PatchResult(List.of(file("a", "1"), file("b", "1")), List.of("c"));
    PatchResult later = new PatchResult(List.of(file("a", "2"), file("c", "2")), List.of("b"));

    PatchResult merged = first.merge(later);

    assertThat(merged.changed()).extracting(ChangedFile::path).containsExactly("a", "c");
    assertThat(merged.changed().get(0).sha256()).isEqualTo(Digest.sha256("2".getBytes()));
    assertThat(merged.deleted()).containsExactly("b");
    assertThat(PatchResult.empty().merge(first)).isEqualTo(first);
    assertThat(PatchResult.empty().isEmpty()).isTrue();
  }
}
