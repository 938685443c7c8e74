package io.spineflow.dashboard.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OperatorTokenTest {
  private final OperatorToken token = new OperatorToken("s3cret-operator-token");

  @Test
  void acceptsOnlyTheExactTokenAsABearer() {
    assertThat(token.matches("Bearer s3cret-operator-token")).isTrue();
    assertThat(token.matches("bearer s3cret-operator-token ")).isTrue();
    assertThat(token.matches(null)).isFalse();
    assertThat(token.matches("")).isFalse();
    assertThat(token.matches("Bearer ")).isFalse();
    assertThat(token.matches("Bearer s3cret-operator-toke")).isFalse();
    assertThat(token.matches("Bearer s3cret-operator-token2")).isFalse();
    assertThat(token.matches("Basic s3cret-operator-token")).isFalse();
    assertThat(token.matches("s3cret-operator-token")).isFalse();
  }

  @Test
  void neverPrintsTheToken() {
    assertThat(token.toString()).doesNotContain("s3cret");
  }

  @Test
  void anEmptyTokenIsNotAToken() {
    assertThatThrownBy(() -> new OperatorToken("")).isInstanceOf(IllegalArgumentException.class);
  }
}
