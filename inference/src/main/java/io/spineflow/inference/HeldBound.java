package io.spineflow.inference;

/**
 * How many slices the loop may hold in memory (polled, not yet published), and when it must stop
 * fetching to stay within that. Without a bound, every poll adds up to {@code max.poll.records}
 * while each pass runs one batch, so a backlog (after a WAITING_FOR_MODEL period or an outage)
 * piles up in the heap until the service runs out of memory. With it, the rest of the backlog waits
 * in Kafka.
 *
 * @param maxHeld the most slices held at once: {@code 2 x inference.max.batch}, so one batch can be
 *     formed while the next one is fetched
 * @param maxPollRecords the most records one poll returns ({@code max.poll.records} of the slices
 *     consumer); at most {@code maxHeld}
 */
record HeldBound(int maxHeld, int maxPollRecords) {
  HeldBound {
    if (maxPollRecords < 1 || maxPollRecords > maxHeld) {
      throw new IllegalArgumentException(
          "maxPollRecords must be 1.." + maxHeld + ", got " + maxPollRecords);
    }
  }

  /** The bound for batches of {@code maxBatch}: two batches held, one batch per poll. */
  static HeldBound forBatch(int maxBatch) {
    return new HeldBound(2 * maxBatch, maxBatch);
  }

  /**
   * Whether the consumer must be paused: one more poll could take the held slices past the bound.
   * Resumed as soon as this is false again (after a batch was published or a rebalance dropped
   * slices).
   */
  boolean pause(int held) {
    return held + maxPollRecords > maxHeld;
  }
}
