package io.spineflow.cli.bench;

import io.spineflow.events.DeadLetter;
import io.spineflow.events.Mask;
import io.spineflow.events.SliceSummary;
import io.spineflow.platform.KafkaClients;
import io.spineflow.schemas.Topic;
import io.spineflow.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows the soak's studies through the pipeline's output, as a downstream reader would: {@code
 * slices.summary} says which slices of a study were emitted, {@code masks} (read_committed) which
 * of them were segmented, {@code deadletter} what was refused. A study is complete once every
 * emitted slice has a mask; its end-to-end latency is then its last mask's {@code producedAt} minus
 * the {@code studyReceivedAt} that ingest stamped (the dashboard's definition).
 */
final class SoakTracker implements Runnable, AutoCloseable {
  /** A completed study: when (wall clock), and its latencies in milliseconds. */
  record Completed(String studyUid, Instant at, double latencyMillis, double uploadMillis) {}

  private static final class Study {
    Set<Integer> expected;
    final Set<Integer> masked = new HashSet<>();
    Instant receivedAt;
    Instant lastMaskAt;
    boolean done;
  }

  private final KafkaConsumer<String, byte[]> consumer;
  private final Topics topics;
  private final Map<String, Instant> sentAt;
  private final Runnable finished;
  private final Map<String, Study> studies = new HashMap<>();
  private final List<Completed> completed = new CopyOnWriteArrayList<>();
  private final Set<String> deadLettered = ConcurrentHashMap.newKeySet();
  private final AtomicLong masks = new AtomicLong();
  private final AtomicLong duplicateMasks = new AtomicLong();
  private final AtomicLong slicesEmitted = new AtomicLong();
  private final AtomicLong deadLetters = new AtomicLong();
  private volatile boolean running = true;

  /**
   * @param sentAt when the feeder sent each study (for the upload-to-last-mask latency)
   * @param finished run once per sent study that completes or is dead-lettered
   */
  SoakTracker(KafkaClients clients, Topics topics, Map<String, Instant> sentAt, Runnable finished) {
    this.topics = topics;
    this.sentAt = sentAt;
    this.finished = finished;
    consumer =
        new KafkaConsumer<>(
            clients.consumer("bench-soak-tracker", "bench-soak-tracker"),
            new StringDeserializer(),
            new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (Topic<String, ?> topic :
        List.<Topic<String, ?>>of(topics.slicesSummary(), topics.masks(), topics.deadletter())) {
      consumer
          .partitionsFor(topic.name())
          .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  @Override
  public void run() {
    try {
      while (running) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          accept(r);
        }
      }
    } catch (WakeupException e) {
      // close() woke the poll: done.
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  private void accept(ConsumerRecord<String, byte[]> r) {
    String topic = r.topic();
    if (topic.equals(topics.masks().name())) {
      Mask mask = topics.masks().valueSerde().deserializer().deserialize(topic, r.value());
      masks.incrementAndGet();
      Study study = study(mask.getStudyUid());
      if (!study.masked.add(mask.getSliceIndex())) {
        duplicateMasks.incrementAndGet();
      }
      if (study.lastMaskAt == null || mask.getProducedAt().isAfter(study.lastMaskAt)) {
        study.lastMaskAt = mask.getProducedAt();
      }
      study.receivedAt = mask.getStudyReceivedAt();
      completeIfDone(mask.getStudyUid(), study);
    } else if (topic.equals(topics.slicesSummary().name())) {
      SliceSummary summary =
          topics.slicesSummary().valueSerde().deserializer().deserialize(topic, r.value());
      Study study = study(summary.getStudyUid());
      if (study.expected == null) {
        study.expected = new HashSet<>(summary.getEmittedSliceIndexes());
        slicesEmitted.addAndGet(study.expected.size());
      }
      study.receivedAt = summary.getStudyReceivedAt();
      completeIfDone(summary.getStudyUid(), study);
    } else if (topic.equals(topics.deadletter().name())) {
      DeadLetter letter =
          topics.deadletter().valueSerde().deserializer().deserialize(topic, r.value());
      deadLetters.incrementAndGet();
      String uid = letter.getStudyUid() == null ? r.key() : letter.getStudyUid();
      Study study = uid == null ? null : studies.get(uid);
      boolean done = study != null && study.done;
      if (uid != null && sentAt.containsKey(uid) && deadLettered.add(uid) && !done) {
        finished.run();
      }
    }
  }

  private Study study(String uid) {
    return studies.computeIfAbsent(uid, u -> new Study());
  }

  private void completeIfDone(String uid, Study study) {
    if (study.done || study.expected == null || !study.masked.containsAll(study.expected)) {
      return;
    }
    study.done = true;
    Instant last = study.lastMaskAt == null ? Instant.now() : study.lastMaskAt;
    double latency = Duration.between(study.receivedAt, last).toNanos() / 1e6;
    Instant sent = sentAt.get(uid);
    double upload = sent == null ? Double.NaN : Duration.between(sent, last).toNanos() / 1e6;
    completed.add(new Completed(uid, Instant.now(), latency, upload));
    if (sent != null && !deadLettered.contains(uid)) {
      finished.run();
    }
  }

  /** Completed studies in completion order (a live view, safe to read from any thread). */
  List<Completed> completed() {
    return completed;
  }

  long masks() {
    return masks.get();
  }

  long duplicateMasks() {
    return duplicateMasks.get();
  }

  long slicesEmitted() {
    return slicesEmitted.get();
  }

  long deadLetters() {
    return deadLetters.get();
  }

  int deadLetteredStudies() {
    return deadLettered.size();
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
  }
}
