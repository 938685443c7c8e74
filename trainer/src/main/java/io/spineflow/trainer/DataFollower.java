package io.spineflow.trainer;

import io.spineflow.events.Slice;
import io.spineflow.events.SliceSummary;
import io.spineflow.platform.deadletter.EventDecoder;
import io.spineflow.platform.deadletter.SliceContract;
import io.spineflow.schemas.Topics;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
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

  private final Consumer<String, byte[]> consumer;
  private final Topics topics;
  private final PoisonGate gate;
  private final EventDecoder<Slice> slices;
  private final EventDecoder<SliceSummary> summaries;
  private final SliceCache cache;
  private volatile boolean running = true;
  private volatile String failure;

  /**
   * @param consumer a read_committed consumer of raw values (decoded here, record by record, so a
   *     poisonous one is dead-lettered rather than thrown out of poll); owned by this follower
   */
  DataFollower(
      Consumer<String, byte[]> consumer, Topics topics, SliceCache cache, PoisonGate gate) {
    this.consumer = consumer;
    this.topics = topics;
    this.cache = cache;
    this.gate = gate;
    this.slices = new EventDecoder<>(topics.slices());
    this.summaries = new EventDecoder<>(topics.slicesSummary());
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
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
        if (records.isEmpty()) {
          continue;
        }
        List<Object> values = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> r : records) {
          decode(r).ifPresent(values::add);
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

  /** A slice keeping its contract or a summary; nothing for a dead-lettered record. */
  private Optional<?> decode(ConsumerRecord<String, byte[]> r) {
    if (r.topic().equals(topics.slices().name())) {
      return gate.decode(slices, r, DataFollower::withinContract);
    }
    return gate.decode(summaries, r);
  }

  /** The slice, if it keeps the {@code slices} contract (training must never see NaN). */
  static Slice withinContract(Slice slice) {
    SliceContract.check(slice);
    return slice;
  }
}
