package io.spineflow.delivery;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.spineflow.events.Segmentation;
import io.spineflow.platform.Health;
import io.spineflow.platform.Service;
import io.spineflow.platform.ServiceContext;
import io.spineflow.platform.SupervisedThread;
import io.spineflow.platform.TopicProvisioner;
import io.spineflow.platform.blob.BlobStore;
import io.spineflow.platform.blob.BlobStores;
import io.spineflow.platform.deadletter.EventDecoder;
import io.spineflow.platform.deadletter.KafkaDeadLetterPublisher;
import io.spineflow.schemas.Topic;
import io.spineflow.schemas.Topics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery service: sends each study's DICOM Segmentation back to the hospital.
 *
 * <p>Consumes {@code segmentations} (study UID → {@code Segmentation}), group {@code
 * spineflow-delivery-<prefix>}, one record at a time; reads the Segmentation's Part 10 file from
 * the blob store and sends it to every configured target (STOW-RS, C-STORE), each with {@code
 * delivery.attempts} attempts and exponential backoff; then commits the record's offset. Produces
 * {@code deadletter} (study UID → DeadLetter): one per target that still failed (reason, the
 * target's setting as the field, the attempts as the limit), one for an unreadable blob or record.
 * An event without a Segmentation is skipped and counted. No target configured: the service idles
 * (health IDLE) and consumes nothing.
 */
public final class DeliveryService implements Service {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryService.class);

  public static final String NAME = "delivery";
  public static final int DEFAULT_HTTP_PORT = 8086;
  private static final Duration RESTART_BACKOFF = Duration.ofSeconds(1);

  private final ServiceContext context;
  private final DeliveryConfig config;
  private final DeliveryMetrics metrics;
  private BlobStore blobs;
  private KafkaDeadLetterPublisher deadLetters;
  private SupervisedThread loop;
  private volatile boolean started;

  public DeliveryService(ServiceContext context, DeliveryConfig config) {
    this.context = context;
    this.config = config;
    this.metrics = new DeliveryMetrics(context.metrics());
  }

  /** For the launcher: the service configured from the context's settings. */
  public static DeliveryService create(ServiceContext context) {
    return new DeliveryService(context, DeliveryConfig.from(context.settings()));
  }

  /** The topics this service creates (the launcher provisions them before {@link #start()}). */
  public static List<Topic<String, ?>> ownedTopics(Topics topics) {
    return List.of(topics.deadletter());
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public synchronized void start() {
    if (started) {
      return;
    }
    started = true;
    if (config.targets().isEmpty()) {
      LOG.warn(
          "no delivery target configured ({} / {}): delivery idles",
          DeliverySettings.STOW_URL.name(),
          DeliverySettings.DICOM_HOST.name());
      return;
    }
    Topics topics = context.topics();
    try (Admin admin = Admin.create(context.kafka().admin())) {
      // Subscribing to a topic that results has not created yet would wait silently.
      new TopicProvisioner(admin, context.replicationFactor())
          .ensure(List.of(topics.segmentations(), topics.deadletter()));
    }
    blobs = BlobStores.open(context.settings(), config.blobDir());
    deadLetters =
        KafkaDeadLetterPublisher.create(
            context.kafka().producer(topics.prefix() + "delivery-deadletter", null, 1 << 20),
            topics.deadletter());
    loop = new SupervisedThread("delivery-loop", this::newLoop, RESTART_BACKOFF);
    loop.start();
    LOG.info(
        "delivering Segmentations to {} ({} attempts each)",
        config.targets().stream().map(Target::describe).toList(),
        config.retry().attempts());
  }

  private DeliveryLoop newLoop() {
    Topics topics = context.topics();
    Map<String, Object> props =
        context
            .kafka()
            .consumer("spineflow-delivery-" + topics.prefix(), topics.prefix() + "delivery");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
    // One record may take every attempt of every target: the group must not evict us meanwhile.
    long worstCase = config.worstCase().plusMinutes(5).toMillis();
    props.put(
        ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
        (int) Math.min(Integer.MAX_VALUE, Math.max(300_000, worstCase)));
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    new KafkaClientMetrics(consumer).bindTo(context.metrics());
    return new DeliveryLoop(
        consumer,
        topics.segmentations().name(),
        new EventDecoder<Segmentation>(topics.segmentations()),
        sleeper -> new Deliverer(config.targets(), config.retry(), blobs::get, sleeper, metrics),
        deadLetters,
        metrics);
  }

  /** Counts of delivered, dead-lettered, skipped events and failed attempts. */
  public Map<String, Object> counts() {
    return metrics.details();
  }

  @Override
  public Health health() {
    Map<String, Object> details = new LinkedHashMap<>(metrics.details());
    details.put("targets", config.targets().stream().map(Target::describe).toList());
    if (!started) {
      return Health.down("STARTING", "not started");
    }
    if (config.targets().isEmpty()) {
      details.put(
          "reason",
          "no target configured: set "
              + DeliverySettings.STOW_URL.name()
              + " and/or "
              + DeliverySettings.DICOM_HOST.name());
      return new Health(true, "IDLE", details);
    }
    Optional<String> failure = loop.failure();
    if (failure.isPresent()) {
      details.put("reason", failure.get());
      return new Health(false, "ERROR", details);
    }
    return new Health(true, "RUNNING", details);
  }

  @Override
  public synchronized void close() {
    if (loop != null) {
      loop.close();
      loop = null;
    }
    if (deadLetters != null) {
      deadLetters.close();
      deadLetters = null;
    }
    if (blobs != null) {
      blobs.close();
      blobs = null;
    }
  }
}
