package dev.refit.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class ListenTest {
  @Test
  void parse_hostAndPort() {
    assertThat(Listen.parse("127.0.0.1:8787")).isEqualTo(new Listen("127.0.0.1", 8787));
    assertThat(Listen.parse("[::1]:0")).isEqualTo(new Listen("::1", 0));
  }

  @Test
  void parse_missingOrBadPort_fails() {
    assertThatThrownBy(() -> Listen.parse("localhost")).isInstanceOf(TypeConversionException.class);
    assertThatThrownBy(() -> Listen.parse("localhost:70000"))
        .hasMessageContaining("expected 0-65535");
  }

  @Test
  void duration_shortForms_andIso() {
    assertThat(DurationConverter.parse("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(DurationConverter.parse("24h")).isEqualTo(Duration.ofHours(24));
    assertThat(DurationConverter.parse("7d")).isEqualTo(Duration.ofDays(7));
    assertThat(DurationConverter.parse("PT5M")).isEqualTo(Duration.ofMinutes(5));
    assertThatThrownBy(() -> DurationConverter.parse("soon")).hasMessageContaining("invalid duration");
  }
}
