package dev.refit.patches.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PathRequestTest {

  private static PathRequest globs(String... globs) {
    return PathRequest.empty().withGlobs(List.of(globs));
  }

  @Test
  void matchesGlob_star_matchesWithinOneComponentOnly() {
    PathRequest request = globs("usr/lib/python*/site-packages/nova");

    assertThat(request.matchesGlob("usr/lib/python3.9/site-packages/nova")).isTrue();
    assertThat(request.matchesGlob("usr/lib/python/site-packages/nova")).isTrue();
    assertThat(request.matchesGlob("usr/lib/python3/x/site-packages/nova")).isFalse();
    assertThat(request.matchesGlob("usr/lib/python3.9/site-packages/nova/api")).isFalse();
  }

  @Test
  void matchesGlob_doubleStar_crossesComponents() {
    PathRequest request = globs("etc/**/nova.conf");

    assertThat(request.matchesGlob("etc/kolla/nova/nova.conf")).isTrue();
    assertThat(request.matchesGlob("etc/x/nova.conf")).isTrue();
    assertThat(request.matchesGlob("usr/etc/x/nova.conf")).isFalse();
  }

  @Test
  void matchesGlob_questionMark_matchesExactlyOneCharacter() {
    PathRequest request = globs("usr/lib/python3.?/x");

    assertThat(request.matchesGlob("usr/lib/python3.9/x")).isTrue();
    assertThat(request.matchesGlob("usr/lib/python3.11/x")).isFalse();
    assertThat(request.matchesGlob("usr/lib/python3./x")).isFalse();
  }

  @Test
  void matchesGlob_bracket_matchesOneOfTheSet() {
    PathRequest request = globs("lib[ab]/x");

    assertThat(request.matchesGlob("liba/x")).isTrue();
    assertThat(request.matchesGlob("libb/x")).isTrue();
    assertThat(request.matchesGlob("libc/x")).isFalse();
  }

  @Test
  void matchesGlob_braces_matchOneOfTheAlternatives() {
    PathRequest request = globs("usr/{lib,lib64}/x.py");

    assertThat(request.matchesGlob("usr/lib/x.py")).isTrue();
    assertThat(request.matchesGlob("usr/lib64/x.py")).isTrue();
    assertThat(request.matchesGlob("usr/lib32/x.py")).isFalse();
  }

  @Test
  void matchesGlob_literalCharacters_matchOnlyThemselves() {
    PathRequest request = globs("usr/lib/a.b+c");

    assertThat(request.matchesGlob("usr/lib/a.b+c")).isTrue();
    assertThat(request.matchesGlob("usr/lib/aXb+c")).isFalse();
    assertThat(request.matchesGlob("usr/lib/a.bbc")).isFalse();
  }

  @Test
  void answersEntry_globRequest_answersMatchesButNotOtherPaths() {
    PathRequest request = new PathRequest(Set.of(), Set.of(), Set.of("opt/*/bin"));

    assertThat(request.answersEntry("opt/tool/bin")).isTrue();
    assertThat(request.answersEntry("opt/tool/lib")).isFalse();
    assertThat(request.exactOnly()).isFalse();
  }
}
