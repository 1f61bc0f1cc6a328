package dev.refit.pipeline.rebuild;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.patches.dockerfile.AppliedPatch;
import dev.refit.patches.engine.ChangedFile;
import dev.refit.patches.engine.PatchResult;
import dev.refit.registry.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuildKeyTest {
  static final Digest BASE = Digest.sha256("base".getBytes(StandardCharsets.UTF_8));
  static final Digest CONTENT = Digest.sha256("content".getBytes(StandardCharsets.UTF_8));
  static final List<AppliedPatch> PATCHES =
      List.of(AppliedPatch.of("I1", "file a.patch", Digest.sha256("p".getBytes(StandardCharsets.UTF_8))));

  static PatchResult result(String workFile, int mode, int uid, Digest content, List<String> deleted) {
    return new PatchResult(
        List.of(new ChangedFile("usr/lib/a.py", Path.of(workFile), mode, uid, 0, 7, content)), deleted);
  }

  static String key(PatchResult r, Map<String, String> options) {
    return BuildKey.of(BASE, PATCHES, r, "daemonless", options);
  }

  @Test
  void of_sameFactsInOtherOrderAndOtherWorkFiles_giveTheSameKey() {
    Map<String, String> ab = new LinkedHashMap<>();
    ab.put("a", "1");
    ab.put("b", "2");
    Map<String, String> ba = new LinkedHashMap<>();
    ba.put("b", "2");
    ba.put("a", "1");
    String one = key(result("w1/a", 0644, 0, CONTENT, List.of("x", "y")), ab);
    String two = key(result("elsewhere/b", 0644, 0, CONTENT, List.of("y", "x")), ba);
    assertThat(one).isEqualTo(two).startsWith("sha256:").hasSize(71);
  }

  @Test
  void of_anyDecidingFactChanged_changesTheKey() {
    PatchResult r = result("w", 0644, 0, CONTENT, List.of("x"));
    String k = key(r, Map.of());
    assertThat(key(result("w", 0755, 0, CONTENT, List.of("x")), Map.of())).isNotEqualTo(k);
    assertThat(key(result("w", 0644, 1, CONTENT, List.of("x")), Map.of())).isNotEqualTo(k);
    assertThat(key(result("w", 0644, 0, BASE, List.of("x")), Map.of())).isNotEqualTo(k);
    assertThat(key(result("w", 0644, 0, CONTENT, List.of("z")), Map.of())).isNotEqualTo(k);
    assertThat(key(r, Map.of("o", "1"))).isNotEqualTo(k);
    assertThat(BuildKey.of(BASE, PATCHES, r, "docker", Map.of())).isNotEqualTo(k);
    assertThat(BuildKey.of(CONTENT, PATCHES, r, "daemonless", Map.of())).isNotEqualTo(k);
    assertThat(BuildKey.of(BASE, List.of(), r, "daemonless", Map.of())).isNotEqualTo(k);
  }

  @Test
  void of_fieldsCannotRunIntoEachOther() {
    assertThat(key(PatchResult.empty(), Map.of("ab", "c")))
        .isNotEqualTo(key(PatchResult.empty(), Map.of("a", "bc")));
  }
}
