package dev.refit.registry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RepositoryNameTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a",
        "ubuntu",
        "library/ubuntu",
        "tripleo/centos-binary-nova-api",
        "a.b/c_d/e__f/g---h",
        "0/1/2",
        "registry.example/x"
      })
  void validate_validNames_accepted(String name) {
    RepositoryName.validate(name);
    assertThat(RepositoryName.isValid(name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "..",
        "a/../b",
        "a/./b",
        "/etc/passwd",
        "a//b",
        "a/",
        "a%2Fb",
        "a%2e%2e",
        "a\\b",
        "Upper",
        "a..b",
        "a___b",
        "-a",
        "a-",
        "_a",
        "a/_layers",
        "a b",
        "a:tag"
      })
  void validate_invalidNames_failWithNameInvalid(String name) {
    assertThatThrownBy(() -> RepositoryName.validate(name))
        .isInstanceOf(InvalidRepositoryNameException.class)
        .hasMessageContaining("invalid repository name");
    assertThat(RepositoryName.isValid(name)).isFalse();
  }

  @Test
  void validate_emptyOrNull_rejected() {
    assertThatThrownBy(() -> RepositoryName.validate("")).hasMessageContaining("empty");
    assertThatThrownBy(() -> RepositoryName.validate(null)).hasMessageContaining("empty");
  }

  @Test
  void validate_length255Accepted_256Rejected() {
    String ok = "a".repeat(255);
    RepositoryName.validate(ok);
    assertThatThrownBy(() -> RepositoryName.validate(ok + "b"))
        .isInstanceOf(InvalidRepositoryNameException.class)
        .hasMessageContaining("limit is 255");
  }

  @Test
  void validate_specificAttacks_explained() {
    assertThatThrownBy(() -> RepositoryName.validate("a/../b")).hasMessageContaining("'..'");
    assertThatThrownBy(() -> RepositoryName.validate("/a")).hasMessageContaining("absolute");
    assertThatThrownBy(() -> RepositoryName.validate("a%2Fb")).hasMessageContaining("percent");
    assertThatThrownBy(() -> RepositoryName.validate("a\\b")).hasMessageContaining("backslash");
    assertThatThrownBy(() -> RepositoryName.validate("a//b")).hasMessageContaining("empty path");
  }
}
