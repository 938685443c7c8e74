package io.spineflow.trainer;

import io.spineflow.events.AnnouncementKind;
import io.spineflow.events.ModelAnnouncement;
import io.spineflow.events.ModelLineage;
import io.spineflow.model.ModelArchitectures;
import io.spineflow.model.ModelRejectedException;
import io.spineflow.model.ModelStore;
import io.spineflow.model.StoredModel;
import io.spineflow.platform.KafkaClients;
import io.spineflow.schemas.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * Builds and publishes {@code models} announcements (key: model name; value: {@link
 * ModelAnnouncement}); the latest per name on the compacted topic is the live model.
 *
 * <p>Architectures travel through {@link ModelArchitectures}, the one mapping inference verifies
 * against. Every version the trainer promotes is saved with a {@value ModelStore#METADATA_FILE}
 * holding its validation metrics and lineage ({@link #metadata}), so an announcement can be rebuilt
 * from the store alone: {@link #rollback} re-announces an existing version with kind {@code
 * ROLLBACK}.
 */
public final class ModelAnnouncer {

  private static final Logger LOG = LoggerFactory.getLogger(ModelAnnouncer.class);

  /** Metadata key of the validation metrics. */
  static final String METRICS = "validationMetrics";

  /** Metadata key of the lineage. */
  static final String LINEAGE = "lineage";

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
        fromStore(store, name, version, AnnouncementKind.ROLLBACK, Instant.now());
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

  /**
   * The announcement of a stored version, rebuilt from its files: SHA-256 and architecture computed
   * from the directory, metrics and lineage from its metadata (empty if it has none).
   */
  public static ModelAnnouncement fromStore(
      ModelStore store, String name, int version, AnnouncementKind kind, Instant at)
      throws ModelRejectedException {
    StoredModel stored = ModelStore.inspect(store.directory(name, version));
    Map<String, Object> metadata;
    try {
      metadata = store.metadata(name, version);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the metadata of " + name + " v" + version, e);
    }
    return announcement(stored, metricsOf(metadata), lineageOf(metadata), kind, at);
  }

  /** The announcement of a stored model. */
  public static ModelAnnouncement announcement(
      StoredModel stored,
      Map<String, Double> metrics,
      ModelLineage lineage,
      AnnouncementKind kind,
      Instant at) {
    return ModelAnnouncement.newBuilder()
        .setModelName(stored.name())
        .setVersion(stored.version())
        .setLocation(stored.directory().toUri().toString())
        .setSha256(stored.sha256())
        .setArchitecture(ModelArchitectures.toEvent(stored.config()))
        .setValidationMetrics(new LinkedHashMap<>(metrics))
        .setLineage(lineage)
        .setKind(kind)
        .setAnnouncedAt(at)
        .build();
  }

  /**
   * A lineage record.
   *
   * @param sliceOffsets next offset per partition of {@code slices} the training data covers
   * @param parentVersion the version fine-tuned from, or null for a fresh initialisation
   */
  public static ModelLineage lineage(
      Collection<String> trainingStudies,
      Collection<String> validationStudies,
      Map<Integer, Long> sliceOffsets,
      Integer parentVersion,
      long seed) {
    Map<String, Long> offsets = new LinkedHashMap<>();
    sliceOffsets.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> offsets.put(Integer.toString(e.getKey()), e.getValue()));
    return ModelLineage.newBuilder()
        .setTrainingStudies(new ArrayList<>(trainingStudies))
        .setValidationStudies(new ArrayList<>(validationStudies))
        .setSliceOffsets(offsets)
        .setParentVersion(parentVersion)
        .setSeed(seed)
        .build();
  }

  /** What the trainer stores in {@value ModelStore#METADATA_FILE} beside promoted weights. */
  public static Map<String, Object> metadata(
      Map<String, Double> metrics, ModelLineage lineage, Map<String, Object> training) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(METRICS, new LinkedHashMap<>(metrics));
    Map<String, Object> l = new LinkedHashMap<>();
    l.put("trainingStudies", lineage.getTrainingStudies());
    l.put("validationStudies", lineage.getValidationStudies());
    l.put("sliceOffsets", lineage.getSliceOffsets());
    l.put("parentVersion", lineage.getParentVersion());
    l.put("seed", lineage.getSeed());
    m.put(LINEAGE, l);
    m.put("training", training);
    return m;
  }

  private static Map<String, Double> metricsOf(Map<String, Object> metadata) {
    Map<String, Double> out = new LinkedHashMap<>();
    if (metadata.get(METRICS) instanceof Map<?, ?> map) {
      map.forEach(
          (k, v) -> {
            if (v instanceof Number n) {
              out.put(String.valueOf(k), n.doubleValue());
            }
          });
    }
    return out;
  }

  private static ModelLineage lineageOf(Map<String, Object> metadata) {
    List<String> train = new ArrayList<>();
    List<String> validation = new ArrayList<>();
    Map<Integer, Long> offsets = new LinkedHashMap<>();
    Integer parent = null;
    long seed = 0;
    if (metadata.get(LINEAGE) instanceof Map<?, ?> l) {
      strings(l.get("trainingStudies"), train);
      strings(l.get("validationStudies"), validation);
      if (l.get("sliceOffsets") instanceof Map<?, ?> o) {
        o.forEach(
            (k, v) -> {
              if (v instanceof Number n) {
                offsets.put(Integer.parseInt(String.valueOf(k)), n.longValue());
              }
            });
      }
      if (l.get("parentVersion") instanceof Number n) {
        parent = n.intValue();
      }
      if (l.get("seed") instanceof Number n) {
        seed = n.longValue();
      }
    }
    return lineage(train, validation, offsets, parent, seed);
  }

  private static void strings(Object value, List<String> out) {
    if (value instanceof Collection<?> c) {
      c.forEach(v -> out.add(String.valueOf(v)));
    }
  }
}
