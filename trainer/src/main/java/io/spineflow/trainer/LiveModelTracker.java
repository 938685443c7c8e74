package io.spineflow.trainer;

import io.spineflow.events.ModelAnnouncement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Follows the compacted {@code models} topic for one model name: the latest announcement is the
 * live model (promoted by this trainer, or a rollback by an operator). Owned by one thread.
 */
final class LiveModelTracker implements AutoCloseable {
  private final Consumer<String, ModelAnnouncement> consumer;
  private final String modelName;
  private ModelAnnouncement live;

  LiveModelTracker(Consumer<String, ModelAnnouncement> consumer, String topic, String modelName) {
    this.consumer = consumer;
    this.modelName = modelName;
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /** Reads everything committed so far (bounded by {@code timeout}) and returns the live model. */
  Optional<ModelAnnouncement> readToEnd(Duration timeout) {
    Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
    long deadline = System.nanoTime() + timeout.toNanos();
    do {
      poll(Duration.ofMillis(100));
    } while (!reached(end) && System.nanoTime() < deadline);
    return live();
  }

  /** Takes whatever arrived, without waiting, and returns the live model. */
  Optional<ModelAnnouncement> poll() {
    poll(Duration.ZERO);
    return live();
  }

  /**
   * Records an announcement this process just committed, so the next run sees it even before the
   * consumer has fetched it back.
   */
  void assume(ModelAnnouncement announcement) {
    live = announcement;
  }

  Optional<ModelAnnouncement> live() {
    return Optional.ofNullable(live);
  }

  private void poll(Duration timeout) {
    for (ConsumerRecord<String, ModelAnnouncement> r : consumer.poll(timeout)) {
      if (modelName.equals(r.key()) && r.value() != null) {
        live = r.value();
      }
    }
  }

  private boolean reached(Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  @Override
  public void close() {
    consumer.close();
  }
}
