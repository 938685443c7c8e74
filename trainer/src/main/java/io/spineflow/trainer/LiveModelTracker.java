package io.spineflow.trainer;

import io.spineflow.events.ModelAnnouncement;
import io.spineflow.platform.deadletter.EventDecoder;
import io.spineflow.schemas.Topic;
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
  private final Consumer<String, byte[]> consumer;
  private final String modelName;
  private final EventDecoder<ModelAnnouncement> decoder;
  private final PoisonGate gate;
  private ModelAnnouncement live;
  private boolean caughtUp;

  /**
   * @param consumer reads raw values: each is decoded here, a poisonous one dead-lettered by {@code
   *     gate}
   */
  LiveModelTracker(
      Consumer<String, byte[]> consumer,
      Topic<String, ModelAnnouncement> topic,
      String modelName,
      PoisonGate gate) {
    this.consumer = consumer;
    this.modelName = modelName;
    this.decoder = new EventDecoder<>(topic);
    this.gate = gate;
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic.name()).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /**
   * Reads everything committed so far (bounded by {@code timeout}) and returns the live model;
   * {@link #caughtUp()} says whether the end was reached, i.e. whether "empty" means "no live
   * model" rather than "not read yet".
   */
  Optional<ModelAnnouncement> readToEnd(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    caughtUp = false;
    try {
      Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment(), timeout);
      do {
        poll(Duration.ofMillis(100));
        caughtUp = reached(end);
      } while (!caughtUp && System.nanoTime() < deadline);
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      caughtUp = false; // the broker did not answer in time: the live model is unknown
    }
    return live();
  }

  /** Whether the last {@link #readToEnd} reached the end of the topic. */
  boolean caughtUp() {
    return caughtUp;
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
    for (ConsumerRecord<String, byte[]> r : consumer.poll(timeout)) {
      if (modelName.equals(r.key())) {
        gate.decode(decoder, r).ifPresent(a -> live = a);
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
