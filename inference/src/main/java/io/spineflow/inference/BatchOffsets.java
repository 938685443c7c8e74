package io.spineflow.inference;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Offsets of one batch: what to commit with it, and where to rewind if it is aborted. */
record BatchOffsets(Map<TopicPartition, Long> first, Map<TopicPartition, Long> last) {

  static BatchOffsets of(List<PendingSlices.Waiting> batch) {
    Map<TopicPartition, Long> first = new HashMap<>();
    Map<TopicPartition, Long> last = new HashMap<>();
    for (PendingSlices.Waiting w : batch) {
      TopicPartition tp = new TopicPartition(w.record().topic(), w.record().partition());
      first.merge(tp, w.record().offset(), Math::min);
      last.merge(tp, w.record().offset(), Math::max);
    }
    return new BatchOffsets(first, last);
  }

  /** The offsets to commit in the batch's transaction: the next record to read per partition. */
  Map<TopicPartition, OffsetAndMetadata> toCommit() {
    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
    last.forEach((tp, offset) -> commit.put(tp, new OffsetAndMetadata(offset + 1)));
    return commit;
  }
}
