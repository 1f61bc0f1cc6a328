package dev.refit.registry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AuthChallengeTest {
  @Test
  void parse_dockerHubBearer_readsRealmServiceScope() {
    AuthChallenge c = AuthChallenge.parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
        + "scope=\"repository:library/alpine:pull\"");
    assertThat(c.isBearer()).isTrue();
    assertThat(c.realm()).isEqualTo("https://auth.docker.io/token");
    assertThat(c.service()).isEqualTo("registry.docker.io");
    assertThat(c.scope()).isEqualTo("repository:library/alpine:pull");
  }

  @Test
  void parse_quotedCommaAndEscapes_keptInsideValue() {
    AuthChallenge c = AuthChallenge.parse("Bearer realm=\"https://a/t\", scope=\"repository:x:pull,push\", error=\"say \\\"hi\\\"\"");
    assertThat(c.scope()).isEqualTo("repository:x:pull,push");
    assertThat(c.params()).containsEntry("error", "say \"hi\"");
  }

  @Test
  void parse_basicAndUnquoted_caseInsensitiveScheme() {
    AuthChallenge c = AuthChallenge.parse("BASIC realm=Registry");
    assertThat(c.isBasic()).isTrue();
    assertThat(c.realm()).isEqualTo("Registry");
  }

  @Test
  void parse_secondChallenge_ignored() {
    AuthChallenge c = AuthChallenge.parse("Bearer realm=\"https://a/t\", Basic realm=\"other\"");
    assertThat(c.realm()).isEqualTo("https://a/t");
    assertThat(c.params()).hasSize(1);
  }

  @Test
  void parse_blank_rejected() {
    assertThatThrownBy(() -> AuthChallenge.parse(" ")).isInstanceOf(IllegalArgumentException.class);
  }
}
