package io.spineflow.inference;

import io.micrometer.core.instrument.MeterRegistry;
import io.spineflow.events.DeadLetter;
import io.spineflow.events.ModelAnnouncement;
import io.spineflow.platform.LogSafe;
import io.spineflow.platform.SupervisedThread;
import io.spineflow.platform.deadletter.DeadLetters;
import io.spineflow.platform.deadletter.EventDecoder;
import io.spineflow.platform.deadletter.PoisonException;
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
final class ModelWatcher implements SupervisedThread.Task {
  private static final Logger LOG = LoggerFactory.getLogger(ModelWatcher.class);

  private final Consumer<String, byte[]> consumer;
  private final EventDecoder<ModelAnnouncement> decoder;
  private final Producer<String, DeadLetter> deadLetters;
  private final Topics topics;
  private final String modelName;
  private final ModelLoader loader;
  private final HotSwapSlot<ServedModel> slot;
  private final AtomicInteger liveVersion;
  private final AtomicInteger rejected;
  private volatile boolean running = true;

  ModelWatcher(
      Consumer<String, byte[]> consumer,
      Producer<String, DeadLetter> deadLetters,
      Topics topics,
      String modelName,
      ModelLoader loader,
      HotSwapSlot<ServedModel> slot,
      Gauges gauges) {
    this.consumer = consumer;
    this.decoder = new EventDecoder<>(topics.models());
    this.deadLetters = deadLetters;
    this.topics = topics;
    this.modelName = modelName;
    this.loader = loader;
    this.slot = slot;
    this.liveVersion = gauges.liveVersion();
    this.rejected = gauges.rejected();
  }

  /**
   * The version served and the announcements rejected: registered once and shared by the watchers a
   * restart creates, so a restarted watcher does not reload the model already serving.
   */
  record Gauges(AtomicInteger liveVersion, AtomicInteger rejected) {
    static Gauges register(MeterRegistry registry) {
      return new Gauges(
          registry.gauge("spineflow_inference_model_version", new AtomicInteger(-1)),
          registry.gauge("spineflow_inference_models_rejected", new AtomicInteger()));
    }
  }

  int liveVersion() {
    return liveVersion.get();
  }

  @Override
  public void stop() {
    running = false;
    consumer.wakeup();
  }

  /**
   * Catches up with the topic, serves the latest announcement, then follows it. A Kafka failure
   * ends the run with its exception, for the supervisor to report and restart; a poisonous record
   * never does (it is dead-lettered).
   */
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
      Announced latest = null;
      while (running && !reached(end)) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          Announced a = ours(r);
          latest = a == null ? latest : a;
        }
      }
      if (latest != null) {
        serve(latest);
      }
      while (running) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          Announced a = ours(r);
          if (a != null) {
            serve(a);
          }
        }
      }
    } catch (WakeupException e) {
      LOG.debug("model watcher stopped");
    } finally {
      // A stop interrupts this thread too; an interrupted close cannot end its fetch sessions.
      boolean interrupted = Thread.interrupted();
      try {
        consumer.close();
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /** An announcement of this service's model, with where it was read. */
  private record Announced(ConsumerRecord<String, byte[]> record, ModelAnnouncement announcement) {}

  /** The announcement {@code r} carries for this model; null for other models and poison. */
  private Announced ours(ConsumerRecord<String, byte[]> r) {
    if (!modelName.equals(r.key())) {
      return null;
    }
    try {
      return new Announced(r, decoder.decode(r));
    } catch (PoisonException e) {
      rejected.incrementAndGet();
      LOG.warn(
          "dead-lettering the record at {}: {}",
          EventDecoder.source(r).location(),
          LogSafe.text(e.getMessage()));
      publish(
          r.key(),
          DeadLetters.of("inference", e.poison(), EventDecoder.source(r), null, Instant.now()));
      return null;
    }
  }

  private void publish(String key, DeadLetter letter) {
    deadLetters.send(new ProducerRecord<>(topics.deadletter().name(), key, letter));
    deadLetters.flush();
  }

  private boolean reached(Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  private void serve(Announced announced) {
    ConsumerRecord<String, byte[]> record = announced.record();
    ModelAnnouncement announcement = announced.announcement();
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
      reject(record, announcement, e);
    } catch (RuntimeException e) {
      // An announcement the loader did not foresee (a location of an odd scheme, a hostile field)
      // must not end the watcher: the old model keeps serving.
      reject(
          record,
          announcement,
          new ModelLoader.RejectedModel("MODEL_LOAD_FAILED", "location", e.toString(), e));
    }
  }

  private void reject(
      ConsumerRecord<String, byte[]> record,
      ModelAnnouncement announcement,
      ModelLoader.RejectedModel e) {
    rejected.incrementAndGet();
    LOG.warn(
        "rejected {} v{}: {} ({}); still serving v{}",
        modelName,
        announcement.getVersion(),
        e.reasonCode(),
        LogSafe.text(e.getMessage()),
        liveVersion.get());
    publish(
        record.key(),
        DeadLetter.newBuilder()
            .setReasonCode(e.reasonCode())
            .setStage("inference")
            .setField(e.field())
            .setLimit(null)
            .setMessage(
                "model " + modelName + " v" + announcement.getVersion() + ": " + e.getMessage())
            .setOriginalTopic(record.topic())
            .setOriginalPartition(record.partition())
            .setOriginalOffset(record.offset())
            .setOriginalLocation(announcement.getLocation())
            .setAt(Instant.now())
            .build());
  }
}
