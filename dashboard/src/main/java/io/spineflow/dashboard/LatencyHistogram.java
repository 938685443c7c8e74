package io.spineflow.dashboard;

/**
 * A fixed log-scale latency histogram in milliseconds: bucket {@code i} holds values up to {@code
 * 1.08^i} ms (bucket 0 everything up to 1 ms, the last everything above ~31 h), so a percentile is
 * read within 8% and two histograms merge by adding counts. Static helpers over {@code long[]}, the
 * form it is stored in.
 */
public final class LatencyHistogram {
  /** Growth factor between bucket upper bounds. */
  public static final double GROWTH = 1.08;

  /** Number of buckets. */
  public static final int BUCKETS = 240;

  private static final double LOG_GROWTH = Math.log(GROWTH);

  private LatencyHistogram() {}

  public static long[] empty() {
    return new long[BUCKETS];
  }

  /** The bucket of {@code millis}. */
  public static int bucket(double millis) {
    if (!(millis > 1)) {
      return 0;
    }
    int b = (int) Math.ceil(Math.log(millis) / LOG_GROWTH - 1e-9);
    return Math.min(BUCKETS - 1, Math.max(0, b));
  }

  /** The upper bound (ms) of bucket {@code b}. */
  public static double upperBound(int b) {
    return Math.pow(GROWTH, b);
  }

  /**
   * The {@code p}-th percentile (0-100): the upper bound of the bucket holding it, but never above
   * {@code observedMax}. NaN for an empty histogram.
   */
  public static double percentile(long[] counts, double p, double observedMax) {
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    if (total == 0) {
      return Double.NaN;
    }
    long rank = Math.max(1, (long) Math.ceil(p / 100 * total));
    long seen = 0;
    for (int b = 0; b < counts.length; b++) {
      seen += counts[b];
      if (seen >= rank) {
        return Math.min(upperBound(b), observedMax);
      }
    }
    return observedMax;
  }
}
