package io.spineflow.inference;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Slices polled but not yet segmented (still undecoded bytes), in arrival order (which is offset
 * order within each partition, so a batch taken from the head never skips a slice of its
 * partition). The loop keeps it within {@link HeldBound} by pausing the consumer; a scan of it is
 * therefore cheap.
 */
final class PendingSlices {
  record Waiting(ConsumerRecord<String, byte[]> record, long arrivedNanos) {}

  private final Deque<Waiting> queue = new ArrayDeque<>();

  void add(ConsumerRecord<String, byte[]> record, long nowNanos) {
    queue.addLast(new Waiting(record, nowNanos));
  }

  int size() {
    return queue.size();
  }

  long oldestArrivalNanos() {
    return queue.isEmpty() ? 0 : queue.peekFirst().arrivedNanos();
  }

  /** Removes and returns up to {@code max} of the oldest. */
  List<Waiting> take(int max) {
    List<Waiting> batch = new ArrayList<>(Math.min(max, queue.size()));
    while (batch.size() < max && !queue.isEmpty()) {
      batch.add(queue.pollFirst());
    }
    return batch;
  }

  /** The offset of the oldest slice waiting from {@code partition}, or -1 if none waits. */
  long firstOffset(TopicPartition partition) {
    for (Waiting w : queue) {
      if (w.record().partition() == partition.partition()
          && w.record().topic().equals(partition.topic())) {
        return w.record().offset();
      }
    }
    return -1;
  }

  /** Forgets the slices of partitions this instance no longer owns (they will be re-read). */
  void dropPartitions(Collection<TopicPartition> partitions) {
    queue.removeIf(
        w -> partitions.contains(new TopicPartition(w.record().topic(), w.record().partition())));
  }

  void clear() {
    queue.clear();
  }
}
