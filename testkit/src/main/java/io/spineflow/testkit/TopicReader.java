package io.spineflow.testkit;

import static org.awaitility.Awaitility.await;

import io.spineflow.schemas.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;

/**
 * Reads a topic from the beginning with {@code read_committed}, as a downstream consumer would:
 * only records of committed transactions are seen. Waits on a condition with a bound, never sleeps.
 */
public final class TopicReader<K, V> implements AutoCloseable {
  private final KafkaConsumer<K, V> consumer;
  private final List<ConsumerRecord<K, V>> records = new ArrayList<>();

  public TopicReader(String bootstrapServers, Topic<K, V> topic) {
    this(bootstrapServers, topic, Map.of());
  }

  /**
   * @param clientProperties extra consumer settings, e.g. SASL credentials for a secured broker
   */
  public TopicReader(String bootstrapServers, Topic<K, V> topic, Map<String, ?> clientProperties) {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 64 << 20);
    consumer =
        new KafkaConsumer<>(
            props, topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic.name()).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /** Polls until at least {@code count} records have been read, or fails after {@code timeout}. */
  public List<ConsumerRecord<K, V>> awaitAtLeast(int count, Duration timeout) {
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              poll();
              return records.size() >= count;
            });
    return List.copyOf(records);
  }

  /**
   * Polls until a record has been read for every key in {@code keys}, or fails after {@code
   * timeout} saying how many keys still have none (and one of them).
   */
  public void awaitKeys(Set<K> keys, Duration timeout) {
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(
            () -> {
              poll();
              Set<K> missing = new HashSet<>(keys);
              records.forEach(r -> missing.remove(r.key()));
              if (!missing.isEmpty()) {
                throw new AssertionError(
                    missing.size()
                        + " of "
                        + keys.size()
                        + " keys have no record yet, e.g. "
                        + missing.iterator().next());
              }
            });
  }

  /** Everything committed up to now: polls until the end offsets (last stable) are reached. */
  public List<ConsumerRecord<K, V>> readToEnd(Duration timeout) {
    Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              poll();
              return end.entrySet().stream()
                  .allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
            });
    return List.copyOf(records);
  }

  /** Records read so far (after more polling, the list may grow). */
  public List<ConsumerRecord<K, V>> records() {
    poll();
    return List.copyOf(records);
  }

  /**
   * Reads what arrived. A record this reader cannot decode (a test's own poison) is passed over, as
   * the services do: it is not one of the records the test counts.
   */
  private void poll() {
    try {
      consumer.poll(Duration.ofMillis(100)).forEach(records::add);
    } catch (RecordDeserializationException e) {
      consumer.seek(e.topicPartition(), e.offset() + 1);
    }
  }

  @Override
  public void close() {
    consumer.close();
  }
}
