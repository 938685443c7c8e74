package io.spineflow.cli.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Two things measured side by side on a shared, noisy machine: warm-up rounds first (JIT, caches,
 * allocators), then rounds that alternate the two sides so a load change hits both, each side's
 * figure the median over rounds, and the ratio the median of the per-round ratios (a round whose
 * two halves saw the same machine is a fairer pair than two medians of different rounds).
 */
final class SideBySide {
  private SideBySide() {}

  /** One side: returns its rate (or any figure where larger is better) for one round. */
  @FunctionalInterface
  interface Side {
    double measure(int round) throws Exception;
  }

  /**
   * The figures of both sides over the measured rounds.
   *
   * @param first the first side's figure per measured round
   * @param second the second side's figure per measured round
   */
  record Rounds(double[] first, double[] second) {
    double firstMedian() {
      return Percentiles.median(first);
    }

    double secondMedian() {
      return Percentiles.median(second);
    }

    /** Median over rounds of {@code second / first}. */
    double ratio() {
      double[] ratios = new double[first.length];
      for (int i = 0; i < ratios.length; i++) {
        ratios[i] = second[i] / first[i];
      }
      return Percentiles.median(ratios);
    }

    /** Largest minus smallest per-round ratio: how stable the ratio was in this run. */
    double ratioSpread() {
      List<Double> ratios = new ArrayList<>();
      for (int i = 0; i < first.length; i++) {
        ratios.add(second[i] / first[i]);
      }
      return ratios.stream().mapToDouble(Double::doubleValue).max().orElse(0)
          - ratios.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    }
  }

  /** Listens to each measured round (to print it as it happens). */
  @FunctionalInterface
  interface RoundListener {
    void measured(int round, double first, double second);
  }

  /**
   * {@code warmups} rounds of both sides, unrecorded, then {@code rounds} recorded rounds; round
   * numbers passed to the sides count from {@code -warmups}.
   */
  static Rounds run(int warmups, int rounds, Side first, Side second, RoundListener listener)
      throws Exception {
    if (rounds < 1 || warmups < 0) {
      throw new IllegalArgumentException("rounds >= 1, warm-ups >= 0: " + rounds + ", " + warmups);
    }
    double[] a = new double[rounds];
    double[] b = new double[rounds];
    for (int round = -warmups; round < rounds; round++) {
      double x = first.measure(round);
      double y = second.measure(round);
      if (round >= 0) {
        a[round] = x;
        b[round] = y;
        listener.measured(round, x, y);
      }
    }
    return new Rounds(a, b);
  }
}
