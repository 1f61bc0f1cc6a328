package dev.refit.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteRangeTest {
  @Test
  void parse_closedRange_clampsEndToSize() {
    assertThat(ByteRange.parse("bytes=5-100", 10)).contains(new ByteRange(5, 9));
  }

  @Test
  void parse_suffixLongerThanBlob_servesWholeBlob() {
    assertThat(ByteRange.parse("bytes=-50", 10)).contains(new ByteRange(0, 9));
  }

  @Test
  void parse_garbageOrMultipleRanges_isIgnored() {
    assertThat(ByteRange.parse("bytes=0-1,3-4", 10)).isEmpty();
    assertThat(ByteRange.parse("items=0-1", 10)).isEmpty();
    assertThat(ByteRange.parse("bytes=5-2", 10)).isEmpty();
    assertThat(ByteRange.parse(null, 10)).isEmpty();
  }

  @Test
  void parse_startAtOrPastEnd_failsWithRangeInvalidAndContentRange() {
    assertThatThrownBy(() -> ByteRange.parse("bytes=10-", 10))
        .isInstanceOfSatisfying(RegistryException.class, e -> {
          assertThat(e.status()).isEqualTo(416);
          assertThat(e.headers()).containsEntry("Content-Range", "bytes */10");
        });
    assertThatThrownBy(() -> ByteRange.parse("bytes=-0", 10)).isInstanceOf(RegistryException.class);
    assertThatThrownBy(() -> ByteRange.parse("bytes=-1", 0)).isInstanceOf(RegistryException.class);
  }
}
