package dev.refit.registry.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LinkHeaderTest {
  @Test
  void next_distributionStyle() {
    assertThat(LinkHeader.next("</v2/_catalog?last=b&n=2>; rel=\"next\"")).contains("/v2/_catalog?last=b&n=2");
  }

  @Test
  void next_amongOtherRelations() {
    assertThat(LinkHeader.next("<https://a/prev>; rel=\"prev\", <https://a/next?x=1>; title=\"p\"; rel=next"))
        .contains("https://a/next?x=1");
  }

  @Test
  void next_absentOrOtherRel_empty() {
    assertThat(LinkHeader.next(null)).isEmpty();
    assertThat(LinkHeader.next("<https://a/prev>; rel=\"prev\"")).isEmpty();
  }
}
