package io.spineflow.trainer;

import io.spineflow.events.AnnouncementKind;
import io.spineflow.events.AuditAction;
import io.spineflow.events.AuditEvent;
import io.spineflow.events.AuditOutcome;
import io.spineflow.events.ModelAnnouncement;
import io.spineflow.model.ModelAnnouncements;
import io.spineflow.model.ModelRejectedException;
import io.spineflow.model.ModelStore;
import io.spineflow.platform.AuditPublisher;
import io.spineflow.platform.KafkaClients;
import io.spineflow.platform.LogSafe;
import io.spineflow.schemas.Topics;
import java.time.Instant;
import java.util.Map;
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
 * version from the store alone, with kind {@code ROLLBACK}. A rollback and its {@code audit} record
 * are one Kafka transaction: both are committed or neither.
 */
public final class ModelAnnouncer {

  private static final Logger LOG = LoggerFactory.getLogger(ModelAnnouncer.class);

  private final Producer<String, Object> producer;
  private final Topics topics;
  private final String actor;

  /**
   * @param producer a transactional producer (transactions initialised) that writes {@code models}
   *     and {@code audit} ({@link EventSerdes#outcomes}); the caller keeps ownership
   * @param topics the topic registry
   * @param actor who asks for rollbacks, for the audit record (e.g. {@code os-user:alice})
   */
  public ModelAnnouncer(Producer<String, Object> producer, Topics topics, String actor) {
    this.producer = producer;
    this.topics = topics;
    this.actor = actor;
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
    AuditEvent audit =
        AuditPublisher.event(
            AuditAction.ROLLBACK,
            AuditOutcome.ACCEPTED,
            actor,
            null,
            TrainerService.NAME,
            name,
            Map.of("version", Integer.toString(version), "sha256", announcement.getSha256()),
            announcement.getAnnouncedAt());
    producer.beginTransaction();
    try {
      producer.send(new ProducerRecord<>(topics.models().name(), name, announcement));
      producer.send(new ProducerRecord<>(topics.audit().name(), name, audit));
      producer.commitTransaction(); // waits for both acknowledgements
    } catch (org.apache.kafka.common.KafkaException e) {
      try {
        producer.abortTransaction();
      } catch (org.apache.kafka.common.KafkaException ignored) {
        // the producer is unusable; the caller closes it
      }
      throw new IllegalStateException(
          "could not announce the rollback to " + name + " v" + version, e);
    }
    LOG.info(
        "announced rollback of {} to v{} ({})",
        name,
        version,
        LogSafe.text(announcement.getLocation()));
    return announcement;
  }

  /**
   * For the CLI: {@link #rollback(ModelStore, String, int)} with a transactional producer of its
   * own, closed afterwards; the audit record names the operating-system user.
   */
  public static ModelAnnouncement rollback(
      KafkaClients kafka, Topics topics, ModelStore store, String name, int version)
      throws ModelRejectedException {
    try (KafkaProducer<String, Object> producer =
        new KafkaProducer<>(
            kafka.producer(
                "trainer-rollback",
                topics.prefix() + "spineflow-trainer-rollback",
                topics.models().settings().maxMessageBytes()),
            new StringSerializer(),
            EventSerdes.outcomes(topics))) {
      producer.initTransactions();
      return new ModelAnnouncer(producer, topics, "os-user:" + System.getProperty("user.name"))
          .rollback(store, name, version);
    }
  }
}
