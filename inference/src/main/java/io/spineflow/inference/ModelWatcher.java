package io.spineflow.inference;

import io.micrometer.core.instrument.MeterRegistry;
import io.spineflow.events.DeadLetter;
import io.spineflow.events.ModelAnnouncement;
import io.spineflow.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the compacted {@code models} topic and keeps the {@link HotSwapSlot} serving the latest
 * announcement for this service's model name: loads and warms the new model here, off the hot path,
 * then swaps it in between batches. A model that fails verification is dead-lettered and the
 * previous one keeps serving. At start-up only the latest announcement is loaded, not the history.
 */
final class ModelWatcher implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelWatcher.class);

  private final Consumer<String, ModelAnnouncement> consumer;
  private final Producer<String, DeadLetter> deadLetters;
  private final Topics topics;
  private final String modelName;
  private final ModelLoader loader;
  private final HotSwapSlot<ServedModel> slot;
  private final AtomicInteger liveVersion;
  private final AtomicInteger rejected;
  private volatile boolean running = true;

  ModelWatcher(
      Consumer<String, ModelAnnouncement> consumer,
      Producer<String, DeadLetter> deadLetters,
      Topics topics,
      String modelName,
      ModelLoader loader,
      HotSwapSlot<ServedModel> slot,
      MeterRegistry registry) {
    this.consumer = consumer;
    this.deadLetters = deadLetters;
    this.topics = topics;
    this.modelName = modelName;
    this.loader = loader;
    this.slot = slot;
    this.liveVersion = registry.gauge("spineflow_inference_model_version", new AtomicInteger(-1));
    this.rejected = registry.gauge("spineflow_inference_models_rejected", new AtomicInteger());
  }

  int liveVersion() {
    return liveVersion.get();
  }

  void stop() {
    running = false;
    consumer.wakeup();
  }

  @Override
  public void run() {
    try {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topics.models().name()).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      ConsumerRecord<String, ModelAnnouncement> latest = null;
      while (running && !reached(end)) {
        for (ConsumerRecord<String, ModelAnnouncement> r : consumer.poll(Duration.ofMillis(200))) {
          if (modelName.equals(r.key()) && r.value() != null) {
            latest = r;
          }
        }
      }
      if (latest != null) {
        serve(latest);
      }
      while (running) {
        for (ConsumerRecord<String, ModelAnnouncement> r : consumer.poll(Duration.ofMillis(500))) {
          if (modelName.equals(r.key()) && r.value() != null) {
            serve(r);
          }
        }
      }
    } catch (WakeupException e) {
      LOG.debug("model watcher stopped");
    } catch (RuntimeException e) {
      LOG.error("model watcher failed", e);
    }
  }

  private boolean reached(Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  private void serve(ConsumerRecord<String, ModelAnnouncement> record) {
    ModelAnnouncement announcement = record.value();
    if (announcement.getVersion() == liveVersion.get()) {
      return;
    }
    try {
      long start = System.nanoTime();
      ServedModel model = loader.load(announcement, slot.peek().isPresent());
      slot.swap(model);
      liveVersion.set(announcement.getVersion());
      LOG.info(
          "now serving {} v{} ({}; loaded and warmed in {} ms)",
          modelName,
          announcement.getVersion(),
          announcement.getKind(),
          (System.nanoTime() - start) / 1_000_000);
    } catch (ModelLoader.RejectedModel e) {
      rejected.incrementAndGet();
      LOG.warn(
          "rejected {} v{}: {} ({}); still serving v{}",
          modelName,
          announcement.getVersion(),
          e.reasonCode(),
          e.getMessage(),
          liveVersion.get());
      deadLetters.send(
          new ProducerRecord<>(
              topics.deadletter().name(),
              record.key(),
              DeadLetter.newBuilder()
                  .setReasonCode(e.reasonCode())
                  .setStage("inference")
                  .setField(e.field())
                  .setLimit(null)
                  .setMessage(
                      "model "
                          + modelName
                          + " v"
                          + announcement.getVersion()
                          + ": "
                          + e.getMessage())
                  .setOriginalTopic(record.topic())
                  .setOriginalPartition(record.partition())
                  .setOriginalOffset(record.offset())
                  .setOriginalLocation(announcement.getLocation())
                  .setAt(Instant.now())
                  .build()));
      deadLetters.flush();
    }
  }
}
