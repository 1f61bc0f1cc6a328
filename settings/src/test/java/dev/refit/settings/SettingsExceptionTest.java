package dev.refit.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SettingsExceptionTest {

  private final Path file = Path.of("conf", "refit.yaml");

  @Test
  void message_withPositionAndHint_isFileLineColumnProblemAndHintApart() {
    SettingsException e = new SettingsException(Location.of(file, 3, 7), "bad value", "fix it");
    assertThat(e.getMessage()).isEqualTo(file + ":3:7: bad value");
    assertThat(e.exitCode()).isEqualTo(dev.refit.error.ExitCode.USAGE);
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.column()).isEqualTo(7);
    assertThat(e.problem()).isEqualTo("bad value");
    assertThat(e.hint()).isEqualTo("fix it");
  }

  @Test
  void message_wholeFileWithoutHint_isFileAndProblem() {
    SettingsException e = new SettingsException(Location.of(file), "file not found", null);
    assertThat(e.getMessage()).isEqualTo(file + ": file not found");
    assertThat(e.hint()).isNull();
    assertThat(e.location().hasPosition()).isFalse();
  }

  @Test
  void location_negativeLine_rejected() {
    assertThatThrownBy(() -> Location.of(file, -1, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
