package dev.refit.patches.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PathSafetyTest {

  @Test
  void normalise_collapsesDotsAndSlashes() {
    assertThat(PathSafety.normalise("./a//b/./c")).isEqualTo("a/b/c");
    assertThat(PathSafety.normalise("a/x/../b")).isEqualTo("a/b");
    assertThat(PathSafety.normalise("")).isEmpty();
  }

  @Test
  void normalise_escapingOrAbsoluteOrNul_isRefused() {
    assertThatThrownBy(() -> PathSafety.normalise("../etc/passwd"))
        .isInstanceOf(UnsafePathException.class).hasMessageContaining("'..' climbs above");
    assertThatThrownBy(() -> PathSafety.normalise("a/../../b"))
        .isInstanceOf(UnsafePathException.class);
    assertThatThrownBy(() -> PathSafety.normalise("/etc/passwd"))
        .isInstanceOf(UnsafePathException.class).hasMessageContaining("absolute");
    assertThatThrownBy(() -> PathSafety.normalise("a\0b"))
        .isInstanceOf(UnsafePathException.class).hasMessageContaining("NUL")
        .hasMessageContaining("a\\0b");
  }

  @Test
  void resolve_joinsAndKeepsInsideTheDirectory() {
    assertThat(PathSafety.resolve("/usr/lib/", "nova/api.py")).isEqualTo("usr/lib/nova/api.py");
    assertThat(PathSafety.resolve("", "x")).isEqualTo("x");
    assertThatThrownBy(() -> PathSafety.resolve("usr/lib", "../../etc/shadow"))
        .isInstanceOf(UnsafePathException.class);
    assertThatThrownBy(() -> PathSafety.resolve("usr/lib", "."))
        .isInstanceOf(UnsafePathException.class);
  }

  @Test
  void isWithin_respectsComponentBoundaries() {
    assertThat(PathSafety.isWithin("usr/lib", "usr/lib/a")).isTrue();
    assertThat(PathSafety.isWithin("usr/lib", "usr/lib")).isTrue();
    assertThat(PathSafety.isWithin("usr/lib", "usr/lib64/a")).isFalse();
    assertThat(PathSafety.isWithin("", "anything")).isTrue();
  }
}
