package io.spineflow.trainer;

import io.spineflow.events.AnnouncementKind;
import io.spineflow.events.AuditAction;
import io.spineflow.events.AuditEvent;
import io.spineflow.events.AuditOutcome;
import io.spineflow.events.ModelAnnouncement;
import io.spineflow.events.ModelQualityFloor;
import io.spineflow.model.ModelAnnouncements;
import io.spineflow.model.ModelRejectedException;
import io.spineflow.model.ModelStore;
import io.spineflow.platform.AuditPublisher;
import io.spineflow.platform.KafkaClients;
import io.spineflow.platform.LogSafe;
import io.spineflow.schemas.Topics;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes {@code models} announcements (key: model name; value: {@link ModelAnnouncement}); the
 * latest per name on the compacted topic is the live model. Announcements are built by the model
 * module's {@link ModelAnnouncements}; every version the trainer promotes is saved with its metrics
 * and lineage ({@link ModelAnnouncements#metadata}), so {@link #rollback} re-announces an existing
 * version from the store alone, with kind {@code ROLLBACK} and the current quality floor carried
 * forward from the live announcement. A rollback and its {@code audit} record are one Kafka
 * transaction: both are committed or neither.
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
   * ROLLBACK}), with the metrics and lineage it was promoted with, the quality floor in force (the
   * floor never falls: a rollback carries it forward) and the highest version announced so far (the
   * next promotion is numbered past it), and waits until the broker has it. Inference loads it
   * (verifying the SHA-256 and architecture) and swaps it in.
   *
   * @param current the live announcement of {@code name} now (empty if there is none): its floor is
   *     carried forward; when it has none, the legacy floor file of {@code store} is, if any
   * @return the announcement sent
   * @throws ModelRejectedException if the version's files are missing or unreadable
   * @throws IllegalStateException if Kafka does not acknowledge within 30 s, or the legacy floor
   *     file is damaged (the rollback must not drop the floor)
   */
  public ModelAnnouncement rollback(
      ModelStore store, String name, int version, Optional<ModelAnnouncement> current)
      throws ModelRejectedException {
    ModelAnnouncement announcement =
        ModelAnnouncements.fromStore(
            store, name, version, AnnouncementKind.ROLLBACK, Instant.now());
    announcement.setQualityFloor(carriedFloor(store, name, current));
    announcement.setHighestVersion(carriedHighest(store, name, version, current));
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
   * The floor a rollback carries: the live announcement's, copied as it is; else the legacy file's.
   */
  static ModelQualityFloor carriedFloor(
      ModelStore store, String name, Optional<ModelAnnouncement> current) {
    if (current.isPresent() && current.get().getQualityFloor() != null) {
      return ModelQualityFloor.newBuilder(current.get().getQualityFloor()).build();
    }
    Path legacy = QualityFloor.file(store.root(), name);
    try {
      return QualityFloor.read(legacy).map(QualityFloor::toEvent).orElse(null);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot roll back " + name + ": " + e.getMessage() + " (the floor must not fall)", e);
    }
  }

  /**
   * The highest version a rollback to {@code version} carries: the live announcement's (or its own
   * version), or any higher one in {@code store}, so the next promotion is numbered past them all.
   */
  static int carriedHighest(
      ModelStore store, String name, int version, Optional<ModelAnnouncement> current) {
    int highest = Math.max(version, store.latestVersion(name).orElse(0));
    return Math.max(highest, current.map(ModelAnnouncements::highestVersion).orElse(0));
  }

  /**
   * For the CLI: {@link #rollback(ModelStore, String, int, Optional)} with a transactional producer
   * of its own, closed afterwards, after reading the live announcement of {@code name} from the
   * compacted {@code models} topic ({@link LiveModelTracker}, as the trainer reads it); the audit
   * record names the operating-system user.
   *
   * @throws IllegalStateException also when {@code models} cannot be read to its end within {@link
   *     #READ_TIMEOUT}: without the live announcement the floor could not be carried forward
   */
  public static ModelAnnouncement rollback(
      KafkaClients kafka, Topics topics, ModelStore store, String name, int version)
      throws ModelRejectedException {
    Optional<ModelAnnouncement> current = live(kafka, topics, name);
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
          .rollback(store, name, version, current);
    }
  }

  /** How long a rollback may take to read {@code models} to its end. */
  static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  /** The live announcement of {@code name} on {@code models}, read to the end. */
  static Optional<ModelAnnouncement> live(KafkaClients kafka, Topics topics, String name) {
    // Dead letters of undecodable announcements are the services' business (each consumer of
    // `models` dead-letters them); the rollback only skips them, as the trainer's tracker does.
    PoisonGate skip =
        new PoisonGate(
            (key, letter) ->
                LOG.warn(
                    "skipping an undecodable announcement of {}: {}",
                    LogSafe.text(String.valueOf(key)),
                    letter.getReasonCode()));
    try (LiveModelTracker tracker =
        new LiveModelTracker(
            new KafkaConsumer<>(
                kafka.consumer("unused-" + UUID.randomUUID(), "trainer-rollback-models"),
                new StringDeserializer(),
                new ByteArrayDeserializer()),
            topics.models(),
            name,
            skip)) {
      Optional<ModelAnnouncement> live = tracker.readToEnd(READ_TIMEOUT);
      if (!tracker.caughtUp()) {
        throw new IllegalStateException(
            "cannot roll back "
                + name
                + ": "
                + topics.models().name()
                + " was not read to its end within "
                + READ_TIMEOUT
                + " (its live announcement carries the quality floor to keep)");
      }
      return live;
    }
  }
}
