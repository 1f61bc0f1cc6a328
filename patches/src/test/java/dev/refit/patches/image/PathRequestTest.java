package dev.refit.patches.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathRequestTest {

  @ParameterizedTest(name = "{0} matches {1}: {2}")
  @CsvSource(delimiter = '|', value = {
      // '*' stays within one path component
      "usr/lib/python*/site-packages/nova | usr/lib/python3.9/site-packages/nova      | true",
      "usr/lib/python*/site-packages/nova | usr/lib/python/site-packages/nova         | true",
      "usr/lib/python*/site-packages/nova | usr/lib/python3/x/site-packages/nova      | false",
      "usr/lib/python*/site-packages/nova | usr/lib/python3.9/site-packages/nova/api  | false",
      // '**' crosses components
      "etc/**/nova.conf                   | etc/kolla/nova/nova.conf                  | true",
      "etc/**/nova.conf                   | etc/x/nova.conf                           | true",
      "etc/**/nova.conf                   | usr/etc/x/nova.conf                       | false",
      // '?' is exactly one character
      "usr/lib/python3.?/x                | usr/lib/python3.9/x                       | true",
      "usr/lib/python3.?/x                | usr/lib/python3.11/x                      | false",
      "usr/lib/python3.?/x                | usr/lib/python3./x                        | false",
      // '[abc]' is one of the set
      "lib[ab]/x                          | liba/x                                    | true",
      "lib[ab]/x                          | libb/x                                    | true",
      "lib[ab]/x                          | libc/x                                    | false",
      // '{a,b}' is one of the alternatives
      "usr/{lib,lib64}/x.py               | usr/lib/x.py                              | true",
      "usr/{lib,lib64}/x.py               | usr/lib64/x.py                            | true",
      "usr/{lib,lib64}/x.py               | usr/lib32/x.py                            | false",
      // anything else is literal
      "usr/lib/a.b+c                      | usr/lib/a.b+c                             | true",
      "usr/lib/a.b+c                      | usr/lib/aXb+c                             | false",
  })
  void matchesGlob_jdkGlobSyntax_matchesAsDocumented(String glob, String path, boolean expected) {
    PathRequest request = PathRequest.empty().withGlobs(List.of(glob));

    assertThat(request.matchesGlob(path)).isEqualTo(expected);
  }

  @Test
  void answersEntry_globRequest_answersMatchesButNotOtherPaths() {
    PathRequest request = new PathRequest(Set.of(), Set.of(), Set.of("opt/*/bin"));

    assertThat(request.answersEntry("opt/tool/bin")).isTrue();
    assertThat(request.answersEntry("opt/tool/lib")).isFalse();
    assertThat(request.exactOnly()).isFalse();
  }
}
