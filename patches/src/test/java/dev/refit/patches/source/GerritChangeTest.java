package dev.refit.patches.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class GerritChangeTest {
  @Test
  void parse_xssiPrefixedChangeInfo_readsStatusRevisionsAndTimestamps() {
    String body = ")]}'\n{\"id\":\"openstack%2Fnova~master~I1\",\"project\":\"openstack/nova\","
        + "\"branch\":\"master\",\"change_id\":\"I1\",\"status\":\"MERGED\","
        + "\"submitted\":\"2018-05-01 12:00:00.000000000\",\"updated\":\"2018-05-01 12:30:00.5\","
        + "\"current_revision\":\"abc\",\"revisions\":{\"abc\":{\"_number\":3}}}";

    GerritChange c = GerritChange.parse(body.getBytes(StandardCharsets.UTF_8), "u");

    assertThat(c.status()).isEqualTo(GerritChange.MERGED);
    assertThat(c.currentRevision()).isEqualTo("abc");
    assertThat(c.revisionOfPatchset(3)).contains("abc");
    assertThat(c.revisionOfPatchset(2)).isEmpty();
    assertThat(c.mergedAt()).isEqualTo(Instant.parse("2018-05-01T12:00:00Z"));
  }

  @Test
  void parseTimestamp_gerritFormat_isUtc() {
    assertThat(GerritChange.parseTimestamp("2018-05-01 12:00:00.123456789"))
        .isEqualTo(Instant.parse("2018-05-01T12:00:00.123456789Z"));
  }

  @Test
  void parse_notJson_failsNamingUrl() {
    assertThatThrownBy(() -> GerritChange.parse("<html>".getBytes(StandardCharsets.UTF_8), "http://g/x"))
        .isInstanceOf(PatchSourceException.class).hasMessageContaining("http://g/x");
  }

  @Test
  void parse_badTimestamp_failsNamingField() {
    String body = ")]}'\n{\"status\":\"NEW\",\"updated\":\"yesterday\"}";
    assertThatThrownBy(() -> GerritChange.parse(body.getBytes(StandardCharsets.UTF_8), "u"))
        .hasMessageContaining("updated").hasMessageContaining("yesterday");
  }
}
