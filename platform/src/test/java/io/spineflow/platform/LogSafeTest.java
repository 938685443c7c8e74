package io.spineflow.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogSafeTest {
  @Test
  void controlCharactersCannotForgeALogLine() {
    assertThat(LogSafe.text("a\nINFO forged\r\tb")).isEqualTo("a\\nINFO forged\\r\\tb");
    assertThat(LogSafe.text("esc\u001b[31mred\u0000")).isEqualTo("esc\\u001b[31mred\\u0000");
    assertThat(LogSafe.text("line\u2028sep\u202Ertl")).isEqualTo("line\\u2028sep\\u202ertl");
    assertThat(LogSafe.text("back\\slash")).isEqualTo("back\\\\slash");
    assertThat(LogSafe.text(null)).isEqualTo("null");
    assertThat(LogSafe.text("Zoë ✓")).isEqualTo("Zoë ✓");
  }

  @Test
  void longValuesAreCut() {
    String cut = LogSafe.text("x".repeat(1000));
    assertThat(cut).startsWith("x".repeat(LogSafe.MAX_TEXT)).endsWith("...(1000 chars)");
  }

  @Test
  void identifiersAreAShortStableHashNeverTheValue() {
    String uid = "DOE^JOHN-1.2.840.1234";
    assertThat(LogSafe.id(uid)).matches("#[0-9a-f]{10}").doesNotContain("DOE");
    assertThat(LogSafe.id(uid)).isEqualTo(LogSafe.id(uid));
    assertThat(LogSafe.id(uid + "5")).isNotEqualTo(LogSafe.id(uid));
    // printf %s 'abc' | sha256sum → ba7816bf8f...
    assertThat(LogSafe.id("abc")).isEqualTo("#ba7816bf8f");
    assertThat(LogSafe.id(null)).isEqualTo("(none)");
  }
}
