package io.spineflow.trainer;

import io.spineflow.events.AnnouncementKind;
import io.spineflow.events.ModelAnnouncement;
import io.spineflow.model.ModelAnnouncements;
import io.spineflow.model.ModelRejectedException;
import io.spineflow.model.ModelStore;
import io.spineflow.platform.KafkaClients;
import io.spineflow.schemas.Topics;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes {@code models} announcements (key: model name; value: {@link ModelAnnouncement}); the
 * latest per name on the compacted topic is the live model. Announcements are built by the model
 * module's {@link ModelAnnouncements}; every version the trainer promotes is saved with its metrics
 * and lineage ({@link ModelAnnouncements#metadata}), so {@link #rollback} re-announces an existing
 * version from the store alone, with kind {@code ROLLBACK}.
 */
public final class ModelAnnouncer {

  private static final Logger LOG = LoggerFactory.getLogger(ModelAnnouncer.class);

  private final Producer<String, ModelAnnouncement> producer;
  private final Topics topics;

  /**
   * @param producer sends to {@code models}; the caller keeps ownership
   * @param topics the topic registry
   */
  public ModelAnnouncer(Producer<String, ModelAnnouncement> producer, Topics topics) {
    this.producer = producer;
    this.topics = topics;
  }

  /**
   * Re-announces stored version {@code version} of {@code name} as the live model (kind {@code
   * ROLLBACK}), with the metrics and lineage it was promoted with, and waits until the broker has
   * it. Inference loads it (verifying the SHA-256 and architecture) and swaps it in.
   *
   * @return the announcement sent
   * @throws ModelRejectedException if the version's files are missing or unreadable
   * @throws IllegalStateException if Kafka does not acknowledge within 30 s
   */
  public ModelAnnouncement rollback(ModelStore store, String name, int version)
      throws ModelRejectedException {
    ModelAnnouncement announcement =
        ModelAnnouncements.fromStore(
            store, name, version, AnnouncementKind.ROLLBACK, Instant.now());
    try {
      producer
          .send(new ProducerRecord<>(topics.models().name(), name, announcement))
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "could not announce the rollback to " + name + " v" + version, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while announcing a rollback", e);
    }
    LOG.info("announced rollback of {} to v{} ({})", name, version, announcement.getLocation());
    return announcement;
  }

  /**
   * For the CLI: {@link #rollback(ModelStore, String, int)} with a producer of its own (idempotent,
   * not transactional), closed afterwards.
   */
  public static ModelAnnouncement rollback(
      KafkaClients kafka, Topics topics, ModelStore store, String name, int version)
      throws ModelRejectedException {
    try (KafkaProducer<String, ModelAnnouncement> producer =
        new KafkaProducer<>(
            kafka.producer("trainer-rollback", null, topics.models().settings().maxMessageBytes()),
            new StringSerializer(),
            topics.models().valueSerde().serializer())) {
      return new ModelAnnouncer(producer, topics).rollback(store, name, version);
    }
  }
}
