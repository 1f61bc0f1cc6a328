package dev.refit.settings.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {

  private static final List<String> KEYS =
      List.of("os_version", "containers", "sdn_controller", "change-id", "project");

  @Test
  void distance_transposition_countsAsOneEdit() {
    assertThat(Suggestions.distance("os_verison", "os_version")).isEqualTo(1);
    assertThat(Suggestions.distance("abc", "abc")).isZero();
    assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
    assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
  }

  @Test
  void closest_typo_suggestsKnownKey() {
    assertThat(Suggestions.closest("os_verison", KEYS)).contains("os_version");
    assertThat(Suggestions.closest("container", KEYS)).contains("containers");
    assertThat(Suggestions.closest("projcet", KEYS)).contains("project");
  }

  @Test
  void closest_underscoreForDashAndCase_suggestsKnownKey() {
    assertThat(Suggestions.closest("change_id", KEYS)).contains("change-id");
    assertThat(Suggestions.closest("OS_VERSION", KEYS)).contains("os_version");
  }

  @Test
  void closest_unrelatedWord_suggestsNothing() {
    assertThat(Suggestions.closest("flavour", KEYS)).isEmpty();
    assertThat(Suggestions.closest("x", KEYS)).isEmpty();
  }
}
