package io.spineflow.delivery;

import io.spineflow.events.Segmentation;
import io.spineflow.platform.SupervisedThread;
import io.spineflow.platform.deadletter.DeadLetterPublisher;
import io.spineflow.platform.deadletter.DeadLetters;
import io.spineflow.platform.deadletter.EventDecoder;
import io.spineflow.platform.deadletter.Poison;
import io.spineflow.platform.deadletter.PoisonException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer loop: one {@code segmentations} record at a time, delivered (or dead-lettered) and
 * then its offset committed, so a crash redelivers at most the record in hand (at-least-once; the
 * deterministic SOP Instance UID makes a repeat the same object at the receiver).
 */
final class DeliveryLoop implements SupervisedThread.Task {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryLoop.class);
  static final String STAGE = "delivery";

  private final Consumer<String, byte[]> consumer;
  private final String topic;
  private final EventDecoder<Segmentation> decoder;
  private final Deliverer deliverer;
  private final DeadLetterPublisher deadLetters;
  private final DeliveryMetrics metrics;
  private final CountDownLatch stopping = new CountDownLatch(1);

  DeliveryLoop(
      Consumer<String, byte[]> consumer,
      String topic,
      EventDecoder<Segmentation> decoder,
      Deliverer.Factory deliverers,
      DeadLetterPublisher deadLetters,
      DeliveryMetrics metrics) {
    this.consumer = consumer;
    this.topic = topic;
    this.decoder = decoder;
    this.deliverer = deliverers.create(this::sleep);
    this.deadLetters = deadLetters;
    this.metrics = metrics;
  }

  /** Waits, or ends the delivery in hand when the service stops. */
  private void sleep(Duration delay) throws InterruptedException {
    if (stopping.await(delay.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new InterruptedException("delivery is stopping");
    }
  }

  @Override
  public void run() {
    try (consumer) {
      consumer.subscribe(List.of(topic));
      while (stopping.getCount() > 0) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
          process(record);
          consumer.commitSync(
              Map.of(
                  new TopicPartition(record.topic(), record.partition()),
                  new OffsetAndMetadata(record.offset() + 1)));
        }
      }
    } catch (WakeupException | InterruptedException e) {
      if (stopping.getCount() > 0) {
        throw new IllegalStateException("delivery loop interrupted", e);
      }
    }
  }

  /** One record: decoded, delivered, its failures dead-lettered; then it may be committed. */
  void process(ConsumerRecord<String, byte[]> record) throws InterruptedException {
    Segmentation event;
    try {
      event = decoder.decode(record);
    } catch (PoisonException e) {
      deadLetter(record, e.poison());
      return;
    }
    Deliverer.Outcome outcome = deliverer.deliver(event);
    if (outcome.skipped()) {
      metrics.skipped();
      LOG.info(
          "study {}: nothing to deliver ({})",
          record.key(),
          event.getDicomSegmentation() == null
              ? "no DICOM Segmentation: " + event.getDicomSegmentationSkipped()
              : "no target configured");
      return;
    }
    outcome.delivered().forEach(metrics::delivered);
    for (Poison poison : outcome.failures()) {
      deadLetter(record, poison);
    }
  }

  private void deadLetter(ConsumerRecord<String, byte[]> record, Poison poison) {
    metrics.deadLettered(poison.reasonCode());
    LOG.warn(
        "dead-lettering {} at {}: {} ({})",
        record.key(),
        EventDecoder.source(record).location(),
        poison.reasonCode(),
        poison.field());
    deadLetters.publish(
        record.key(),
        DeadLetters.of(
            STAGE,
            poison,
            EventDecoder.source(record),
            DeadLetters.studyUidOfKey(record.key()),
            Instant.now()));
  }

  @Override
  public void stop() {
    stopping.countDown();
    consumer.wakeup();
  }
}
