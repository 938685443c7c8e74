package io.spineflow.dashboard;

/**
 * Masks produced in one time window: how many (throughput), their end-to-end latency as a {@link
 * LatencyHistogram} with sum and maximum, and the sums of queue time, model time and batch size.
 */
public record MaskWindow(
    long count,
    double latencySum,
    double latencyMax,
    long[] latencyHistogram,
    double queueSum,
    double inferenceSum,
    long batchSizeSum) {

  public static MaskWindow empty() {
    return new MaskWindow(0, 0, 0, LatencyHistogram.empty(), 0, 0, 0);
  }

  public MaskWindow add(MaskSample sample) {
    long[] histogram = latencyHistogram.clone();
    histogram[LatencyHistogram.bucket(sample.latencyMillis())]++;
    return new MaskWindow(
        count + 1,
        latencySum + sample.latencyMillis(),
        Math.max(latencyMax, sample.latencyMillis()),
        histogram,
        queueSum + sample.queueMillis(),
        inferenceSum + sample.inferenceMillis(),
        batchSizeSum + sample.batchSize());
  }

  public MaskWindow merge(MaskWindow other) {
    long[] histogram = latencyHistogram.clone();
    for (int b = 0; b < Math.min(histogram.length, other.latencyHistogram.length); b++) {
      histogram[b] += other.latencyHistogram[b];
    }
    return new MaskWindow(
        count + other.count,
        latencySum + other.latencySum,
        Math.max(latencyMax, other.latencyMax),
        histogram,
        queueSum + other.queueSum,
        inferenceSum + other.inferenceSum,
        batchSizeSum + other.batchSizeSum);
  }

  /** The {@code p}-th latency percentile in ms (within 8%); NaN when empty. */
  public double latencyPercentile(double p) {
    return LatencyHistogram.percentile(latencyHistogram, p, latencyMax);
  }
}
