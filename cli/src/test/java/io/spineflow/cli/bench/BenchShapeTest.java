package io.spineflow.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one shape every benchmark follows: RESULT lines last, headline last, rounds interleaved. */
class BenchShapeTest {

  @Test
  void resultLinesComeInOrderWithTheHeadlineLast() {
    BenchOutcome outcome =
        BenchOutcome.of("backlog_rss_growth", 1.0183, 3)
            .withBefore("backlog_catch_up_seconds", 285.04, 1)
            .withBefore("backlog_held_max", 10, 0);
    StringWriter text = new StringWriter();
    outcome.print(new PrintWriter(text));
    assertThat(text.toString().lines())
        .containsExactly(
            "RESULT backlog_held_max 10",
            "RESULT backlog_catch_up_seconds 285.0",
            "RESULT backlog_rss_growth 1.018");
    assertThat(outcome.passed()).isTrue();
  }

  @Test
  void aFailedInvariantFailsTheOutcomeButKeepsItsFigures() {
    BenchOutcome outcome = BenchOutcome.of("swap", 1.2, 3).requiring(false).requiring(true);
    assertThat(outcome.passed()).isFalse();
    assertThat(outcome.results()).hasSize(1);
    assertThatThrownBy(() -> new BenchOutcome(List.of(), true))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sideBySideAlternatesSidesSkipsWarmUpsAndTakesTheMedianOfPerRoundRatios() throws Exception {
    List<String> calls = new ArrayList<>();
    double[] first = {100, 10, 20, 40};
    double[] second = {1, 5, 30, 20};
    SideBySide.Rounds rounds =
        SideBySide.run(
            1,
            3,
            r -> {
              calls.add("a" + r);
              return first[r + 1];
            },
            r -> {
              calls.add("b" + r);
              return second[r + 1];
            },
            (r, a, b) -> calls.add("measured" + r));
    assertThat(calls)
        .containsExactly(
            "a-1",
            "b-1",
            "a0",
            "b0",
            "measured0",
            "a1",
            "b1",
            "measured1",
            "a2",
            "b2",
            "measured2");
    assertThat(rounds.first()).containsExactly(10, 20, 40);
    // Per-round ratios 0.5, 1.5, 0.5: median 0.5, while the ratio of medians would be 20/20 = 1.
    assertThat(rounds.ratio()).isEqualTo(0.5);
    assertThat(rounds.ratioSpread()).isEqualTo(1.0);
    assertThat(rounds.secondMedian()).isEqualTo(20);
  }
}
