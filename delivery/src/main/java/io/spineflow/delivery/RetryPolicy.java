package io.spineflow.delivery;

import java.time.Duration;

/**
 * How often and how patiently a target is tried: {@code attempts} in all, waiting {@code initial}
 * after the first failure, doubling up to {@code max}.
 */
record RetryPolicy(int attempts, Duration initial, Duration max) {
  RetryPolicy {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts: at least 1");
    }
    if (initial.isNegative() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff: 0 <= initial <= max");
    }
  }

  /** The wait after failed attempt {@code attempt} (1-based). */
  Duration delayAfter(int attempt) {
    Duration delay = initial;
    for (int i = 1; i < attempt && delay.compareTo(max) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(max) > 0 ? max : delay;
  }

  /** Every wait of one target's attempts together. */
  Duration totalDelay() {
    Duration total = Duration.ZERO;
    for (int attempt = 1; attempt < attempts; attempt++) {
      total = total.plus(delayAfter(attempt));
    }
    return total;
  }

  /** For dead letters: the limit that was reached. */
  String describe() {
    return "delivery.attempts="
        + attempts
        + " (backoff "
        + initial.toMillis()
        + " ms doubling to "
        + max.toMillis()
        + " ms)";
  }
}
