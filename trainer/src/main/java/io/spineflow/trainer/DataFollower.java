package io.spineflow.trainer;

import io.spineflow.schemas.Topics;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies labelled slices and study summaries from Kafka into the {@link SliceCache}, on its own
 * thread. It assigns itself every partition of {@code slices} and {@code slices.summary} (one
 * trainer reads everything; no group rebalancing) and resumes from the offsets saved with the
 * cache, or from the beginning for a new cache: Kafka is the source of truth.
 */
final class DataFollower implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(DataFollower.class);

  private final Consumer<String, Object> consumer;
  private final Topics topics;
  private final SliceCache cache;
  private volatile boolean running = true;
  private volatile String failure;

  /**
   * @param consumer a read_committed consumer whose value deserializer yields {@code Slice} for
   *     {@code slices} and {@code SliceSummary} for {@code slices.summary}; owned by this follower
   */
  DataFollower(Consumer<String, Object> consumer, Topics topics, SliceCache cache) {
    this.consumer = consumer;
    this.topics = topics;
    this.cache = cache;
  }

  /** Why the follower stopped with an error, or null. */
  String failure() {
    return failure;
  }

  void stop() {
    running = false;
    consumer.wakeup();
  }

  @Override
  public void run() {
    try {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : List.of(topics.slices().name(), topics.slicesSummary().name())) {
        consumer
            .partitionsFor(topic)
            .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      }
      consumer.assign(partitions);
      for (TopicPartition tp : partitions) {
        Long next = cache.offset(tp.topic(), tp.partition());
        if (next == null) {
          consumer.seekToBeginning(List.of(tp));
        } else {
          consumer.seek(tp, next);
        }
      }
      LOG.info(
          "following {} partitions of {} and {}",
          partitions.size(),
          topics.slices().name(),
          topics.slicesSummary().name());
      while (running) {
        ConsumerRecords<String, Object> records;
        try {
          records = consumer.poll(Duration.ofMillis(500));
        } catch (RecordDeserializationException e) {
          LOG.warn(
              "skipping undecodable record {}-{}@{}: {}",
              e.topicPartition().topic(),
              e.topicPartition().partition(),
              e.offset(),
              e.getMessage());
          consumer.seek(e.topicPartition(), e.offset() + 1);
          continue;
        }
        if (records.isEmpty()) {
          continue;
        }
        List<Object> values = new ArrayList<>(records.count());
        for (ConsumerRecord<String, Object> r : records) {
          values.add(r.value());
        }
        Map<String, Long> next = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
          next.put(tp.topic() + ":" + tp.partition(), consumer.position(tp));
        }
        cache.apply(values, next);
      }
    } catch (WakeupException e) {
      LOG.debug("data follower stopped");
    } catch (IOException | RuntimeException e) {
      failure = e.toString();
      LOG.error("data follower failed; training data no longer grows", e);
    } finally {
      consumer.close();
    }
  }
}
