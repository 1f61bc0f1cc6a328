package dev.refit.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PageTest {
  private static final List<String> ALL = List.of("a", "b", "c", "d");

  @Test
  void of_noParameters_returnsEverythingWithoutLink() {
    Page page = Page.of(ALL, null, null, "/x");
    assertThat(page.items()).isEqualTo(ALL);
    assertThat(page.nextLink()).isNull();
  }

  @Test
  void of_lastNotInList_startsAfterItLexically() {
    assertThat(Page.of(ALL, "2", "bb", "/x").items()).containsExactly("c", "d");
  }

  @Test
  void of_exactlyFillingLastPage_hasNoLink() {
    assertThat(Page.of(ALL, "2", "b", "/x").nextLink()).isNull();
    assertThat(Page.of(ALL, "2", "a", "/x").nextLink()).isEqualTo("</x?n=2&last=c>; rel=\"next\"");
  }

  @Test
  void of_nonNumericN_failsWithPaginationNumberInvalid() {
    assertThatThrownBy(() -> Page.of(ALL, "ten", null, "/x"))
        .isInstanceOfSatisfying(RegistryException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.PAGINATION_NUMBER_INVALID));
  }
}
