package dev.refit.pipeline.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpDateTest {
  private static final Instant EXPECTED = Instant.parse("1994-11-06T08:49:37Z");
  private TimeZone saved;

  @BeforeEach
  void farFromUtc() {
    saved = TimeZone.getDefault();
    // A zone with a non-whole-hour offset: any local-time interpretation shows up at once.
    TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kathmandu"));
  }

  @AfterEach
  void restore() {
    TimeZone.setDefault(saved);
  }

  @Test
  void parse_imfFixdate_isUtcRegardlessOfDefaultZone() {
    assertThat(HttpDate.parse("Sun, 06 Nov 1994 08:49:37 GMT")).contains(EXPECTED);
  }

  @Test
  void parse_obsoleteRfc850AndAsctime_areAccepted() {
    assertThat(HttpDate.parse("Sunday, 06-Nov-94 08:49:37 GMT")).contains(EXPECTED);
    assertThat(HttpDate.parse("Sun Nov  6 08:49:37 1994")).contains(EXPECTED);
  }

  @Test
  void parse_garbage_isEmpty() {
    assertThat(HttpDate.parse("yesterday")).isEmpty();
    assertThat(HttpDate.parse(null)).isEmpty();
  }

  @Test
  void format_roundTrips_asImfFixdate() {
    assertThat(HttpDate.format(EXPECTED)).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
    Instant now = Instant.parse("2026-03-29T01:30:05Z");
    assertThat(HttpDate.parse(HttpDate.format(now))).contains(now);
  }
}
