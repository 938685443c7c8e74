package io.spineflow.platform.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BearerTokenTest {
  private static final String TOKEN = "a-long-enough-secret-token";
  private final BearerToken token = new BearerToken(TOKEN);

  @Test
  void matchesOnlyTheBearerSchemeWithTheToken() {
    assertThat(token.matches("Bearer " + TOKEN)).isTrue();
    assertThat(token.matches("bearer " + TOKEN + " ")).isTrue();
    assertThat(token.matches("Basic " + TOKEN)).isFalse();
    assertThat(token.matches("Bearer " + TOKEN + "x")).isFalse();
    assertThat(token.matches("Bearer ")).isFalse();
    assertThat(token.matches(null)).isFalse();
    assertThat(token.matches("")).isFalse();
    assertThat(token.matches("Bearer " + TOKEN.substring(1))).isFalse();
    assertThat(token.matches(TOKEN)).isFalse();
    assertThat(token.matchesSecret(TOKEN)).isTrue();
    assertThat(token.matchesSecret(null)).isFalse();
  }

  @Test
  void neverShowsTheTokenAndNamesItByAStableHash() {
    assertThat(token.toString()).doesNotContain(TOKEN);
    assertThat(token.identity()).matches("token:[0-9a-f]{12}").doesNotContain(TOKEN);
    assertThat(new BearerToken(TOKEN).identity()).isEqualTo(token.identity());
    assertThat(new BearerToken(TOKEN + "2").identity()).isNotEqualTo(token.identity());
    assertThatThrownBy(() -> new BearerToken("")).isInstanceOf(IllegalArgumentException.class);
  }
}
