package io.spineflow.inference;

import java.time.Duration;

/**
 * When to run a batch: as soon as {@code maxBatchSize} slices wait, or when the oldest waiting
 * slice has waited {@code maxWait}. Larger batches use the hardware better; the wait bounds the
 * latency a lone slice pays for that.
 */
public record BatchPolicy(int maxBatchSize, Duration maxWait) {
  public BatchPolicy {
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("maxBatchSize must be >= 1, got " + maxBatchSize);
    }
    if (maxWait.isNegative()) {
      throw new IllegalArgumentException("maxWait must not be negative, got " + maxWait);
    }
  }

  /**
   * @param waiting slices buffered now
   * @param oldestArrivalNanos {@link System#nanoTime()} when the oldest of them arrived
   * @param nowNanos the current {@link System#nanoTime()}
   */
  public boolean shouldRun(int waiting, long oldestArrivalNanos, long nowNanos) {
    if (waiting == 0) {
      return false;
    }
    return waiting >= maxBatchSize || nowNanos - oldestArrivalNanos >= maxWait.toNanos();
  }

  /** How long the loop may block in poll before the oldest slice's wait is up. */
  public Duration pollTimeout(int waiting, long oldestArrivalNanos, long nowNanos) {
    if (waiting == 0) {
      return maxWait.isZero() ? Duration.ofMillis(100) : maxWait;
    }
    long left = maxWait.toNanos() - (nowNanos - oldestArrivalNanos);
    return Duration.ofNanos(Math.max(0, left));
  }
}
