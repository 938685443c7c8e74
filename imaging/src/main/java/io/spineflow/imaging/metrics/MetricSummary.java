package io.spineflow.imaging.metrics;

import java.util.Arrays;

/**
 * Mean and spread of one metric over the slices it is defined on.
 *
 * @param mean arithmetic mean; NaN when {@code count == 0}
 * @param sd sample standard deviation (n − 1 denominator); NaN when {@code count < 2}
 * @param count number of defined (non-NaN) values averaged
 */
public record MetricSummary(double mean, double sd, long count) {

  /**
   * Collects values and summarises them in ascending order (two passes: mean, then squared
   * deviations), so the summary is bit-for-bit the same whatever order the values came in.
   */
  static final class Accumulator {
    private double[] values = new double[8];
    private int count;

    /** Adds {@code value}; NaN (undefined) is skipped. */
    void add(double value) {
      if (Double.isNaN(value)) {
        return;
      }
      if (count == values.length) {
        values = Arrays.copyOf(values, 2 * count);
      }
      values[count++] = value;
    }

    MetricSummary summary() {
      if (count == 0) {
        return new MetricSummary(Double.NaN, Double.NaN, 0);
      }
      double[] sorted = Arrays.copyOf(values, count);
      Arrays.sort(sorted);
      double sum = 0;
      for (double v : sorted) {
        sum += v;
      }
      double mean = sum / count;
      if (count < 2) {
        return new MetricSummary(mean, Double.NaN, count);
      }
      double squares = 0;
      for (double v : sorted) {
        squares += (v - mean) * (v - mean);
      }
      return new MetricSummary(mean, Math.sqrt(squares / (count - 1)), count);
    }
  }
}
