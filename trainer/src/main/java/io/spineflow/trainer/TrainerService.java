package io.spineflow.trainer;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.spineflow.events.TrainingProgress;
import io.spineflow.model.DjlEngine;
import io.spineflow.model.ModelArtifacts;
import io.spineflow.model.ModelStore;
import io.spineflow.model.training.TrainingResult;
import io.spineflow.platform.CommonSettings;
import io.spineflow.platform.ConfigException;
import io.spineflow.platform.Health;
import io.spineflow.platform.Service;
import io.spineflow.platform.ServiceContext;
import io.spineflow.platform.TopicProvisioner;
import io.spineflow.platform.TransactionalPublisher;
import io.spineflow.platform.blob.BlobStore;
import io.spineflow.platform.deadletter.KafkaDeadLetterPublisher;
import io.spineflow.schemas.Topic;
import io.spineflow.schemas.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer service: keeps a training set of labelled slices, retrains the segmentation model
 * when asked or when enough new data arrived, and promotes a candidate only if it is not worse than
 * the live model on the same validation studies.
 *
 * <p>Consumes:
 *
 * <ul>
 *   <li>{@code slices} ({@code studyUid/sliceIndex} → {@code Slice}; unlabelled ones are ignored)
 *       and {@code slices.summary} (study UID → {@code SliceSummary}; a study is used once its
 *       summary and every slice it lists have arrived), from the beginning, into a disk cache under
 *       {@code <data.dir>/trainer/cache}
 *   <li>{@code retrain} (model name → {@code RetrainRequest}), group {@code
 *       spineflow-trainer-<prefix><model>}; offsets are committed only with the outcome of the run
 *       that honoured the request
 *   <li>{@code models} (model name → {@code ModelAnnouncement}), to know the live model
 * </ul>
 *
 * Produces:
 *
 * <ul>
 *   <li>{@code models} (model name → {@code ModelAnnouncement}, kind PROMOTED, version = next
 *       version, location = the stored directory's URI, SHA-256, architecture, validation metrics,
 *       lineage), transactionally with the outcome and the retrain offsets
 *   <li>{@code training} (model name → {@code TrainingProgress}: STARTED, PROGRESS, EVALUATED; then
 *       PROMOTED, REJECTED or FAILED in the same transaction as the announcement)
 * </ul>
 *
 * State: the slice cache, checkpoints of the run in progress, the honoured request ids and the
 * study count of the last run, under {@code <data.dir>/trainer}; promoted models in the model
 * store. Any number of instances per model name: the one the {@code retrain} group assigns its
 * single partition is active, the others are standbys (health up, state STANDBY) following the data
 * into their own caches; when the active one dies a standby is assigned the partition and takes
 * over, its transactional id fencing the dead one's open transaction.
 */
public final class TrainerService implements Service {
  private static final Logger LOG = LoggerFactory.getLogger(TrainerService.class);

  public static final String NAME = "trainer";
  public static final int DEFAULT_HTTP_PORT = 8084;

  private final ServiceContext context;
  private final TrainerConfig config;
  private final Clock clock;
  private SliceCache cache;
  private DataFollower follower;
  private TrainingCoordinator coordinator;
  private Thread followerThread;
  private Thread coordinatorThread;
  private TransactionalPublisher<String, Object> outcomes;
  private KafkaProducer<String, TrainingProgress> progress;
  private KafkaDeadLetterPublisher deadLetters;
  private ModelStore models;

  public TrainerService(ServiceContext context, TrainerConfig config) {
    this(context, config, Clock.systemUTC());
  }

  TrainerService(ServiceContext context, TrainerConfig config, Clock clock) {
    this.context = context;
    this.config = config;
    this.clock = clock;
  }

  /** For the launcher: the service configured from the context's settings. */
  public static TrainerService create(ServiceContext context) {
    return new TrainerService(context, TrainerConfig.from(context.settings()));
  }

  /**
   * Where the trainer's slice cache keeps study {@code uid} when its data directory is {@code
   * dataDir} ({@code <data.dir>/trainer/cache/studies/<sha256(uid)[:32]>}): what {@code ./spineflow
   * forget} removes.
   */
  public static Path cachedStudyDir(Path dataDir, String uid) {
    return dataDir
        .resolve(NAME)
        .resolve("cache")
        .resolve("studies")
        .resolve(SliceCache.directoryName(uid));
  }

  /** The topics this service creates (the launcher provisions them before {@link #start()}). */
  public static List<Topic<String, ?>> ownedTopics(Topics topics) {
    return List.of(topics.models(), topics.training(), topics.retrain(), topics.audit());
  }

  @Override
  public String name() {
    return NAME;
  }

  /** The configuration in use. */
  public TrainerConfig config() {
    return config;
  }

  @Override
  public synchronized void start() {
    if (coordinator != null) {
      return;
    }
    DjlEngine.ensureStarted(config.threads());
    Topics topics = context.topics();
    ensureTopics(topics);
    Path dir = context.serviceDir();
    try {
      Files.createDirectories(dir);
      TrainingResult.deleteRecursively(dir.resolve("checkpoints")); // a crashed run's leftovers
      cache = SliceCache.open(dir.resolve("cache"));
    } catch (IOException e) {
      throw new ConfigException(
          CommonSettings.DATA_DIR.name(), "cannot use " + dir + " for the trainer's state: " + e);
    }
    String id = topics.prefix() + config.modelName();
    String groupId = "spineflow-trainer-" + id;
    // Values as bytes: each consumer decodes record by record through the gate, so a poisonous
    // record is dead-lettered instead of stopping it.
    KafkaConsumer<String, byte[]> dataConsumer =
        new KafkaConsumer<>(
            dataConsumerProps(context.kafka().consumer(groupId + "-data", "trainer-data-" + id)),
            new StringDeserializer(),
            new ByteArrayDeserializer());
    KafkaConsumer<String, byte[]> retrainConsumer =
        new KafkaConsumer<>(
            retrainConsumerProps(context.kafka().consumer(groupId, "trainer-retrain-" + id)),
            new StringDeserializer(),
            new ByteArrayDeserializer());
    KafkaConsumer<String, byte[]> modelsConsumer =
        new KafkaConsumer<>(
            context.kafka().consumer("unused-" + UUID.randomUUID(), "trainer-models-" + id),
            new StringDeserializer(),
            new ByteArrayDeserializer());
    deadLetters =
        KafkaDeadLetterPublisher.create(
            context.kafka().producer("trainer-deadletter-" + id, null, 1 << 20),
            topics.deadletter());
    PoisonGate gate = new PoisonGate(deadLetters);
    outcomes =
        new TransactionalPublisher<>(
            "trainer-" + id,
            () -> {
              KafkaProducer<String, Object> p =
                  new KafkaProducer<>(
                      context
                          .kafka()
                          .producer(
                              "trainer-" + id,
                              "spineflow-trainer-" + id,
                              topics.models().settings().maxMessageBytes()),
                      new StringSerializer(),
                      EventSerdes.outcomes(topics));
              new KafkaClientMetrics(p).bindTo(context.metrics());
              return p;
            },
            TransactionalPublisher.COMMIT_RETRY);
    progress =
        new KafkaProducer<>(
            context.kafka().producer("trainer-progress-" + id, null, 1 << 20),
            new StringSerializer(),
            topics.training().valueSerde().serializer());
    new KafkaClientMetrics(dataConsumer).bindTo(context.metrics());
    SliceCache c = cache;
    TrainerMetrics metrics =
        new TrainerMetrics(context.metrics(), c::completeStudies, c::cachedSlices);
    follower = new DataFollower(dataConsumer, topics, cache, gate);
    models =
        new ModelStore(
            config.modelStore(),
            ModelArtifacts.remote(context.settings(), dir.resolve("blob-spool")).orElse(null));
    coordinator =
        new TrainingCoordinator(
            config,
            topics,
            cache,
            models,
            retrainConsumer,
            gate,
            new LiveModelTracker(modelsConsumer, topics.models(), config.modelName(), gate),
            outcomes,
            progress,
            metrics,
            dir,
            groupId,
            clock);
    followerThread = new Thread(follower, "trainer-data");
    coordinatorThread = new Thread(coordinator, "trainer-coordinator");
    followerThread.start();
    coordinatorThread.start();
    LOG.info(
        "trainer started for {} ({} profile, {} / {}, lr {}, batch {}); model store {}",
        config.modelName(),
        config.profile(),
        config.training().architecture().variant(),
        config.training().loss(),
        config.training().learningRate(),
        config.training().batchSize(),
        config.modelStore());
  }

  /**
   * The {@code retrain} consumer decides which trainer is active: cooperative assignment, so a
   * standby joining does not take the partition from the active one for a moment (which would
   * cancel its run), and the failover timeout as the session timeout.
   */
  private Map<String, Object> retrainConsumerProps(Map<String, Object> props) {
    props.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        CooperativeStickyAssignor.class.getName());
    int session = (int) config.failoverTimeout().toMillis();
    props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, session);
    props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Math.max(200, session / 4));
    return props;
  }

  private static Map<String, Object> dataConsumerProps(Map<String, Object> props) {
    // Slices are ~80 KB (128x128) to ~1.3 MB (512x640): a few hundred per poll at most.
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.SLICE_MAX_BYTES * 4);
    return props;
  }

  /**
   * Creates {@code slices} and {@code slices.summary} if preprocess has not yet, and this service's
   * own topics if no launcher did, so the services can start in any order. Idempotent.
   */
  private void ensureTopics(Topics topics) {
    List<Topic<String, ?>> needed = new java.util.ArrayList<>(ownedTopics(topics));
    needed.add(topics.slices());
    needed.add(topics.slicesSummary());
    try (Admin admin = Admin.create(context.kafka().admin())) {
      new TopicProvisioner(admin, context.replicationFactor()).ensure(needed);
    }
  }

  @Override
  public Health health() {
    TrainingCoordinator c = coordinator;
    if (c == null) {
      return Health.down("STARTING", "not started");
    }
    if (c.failure() != null) {
      return Health.down(c.state().equals("FENCED") ? "FENCED" : "FAILED", c.failure());
    }
    if (c.kafkaError() != null) {
      return Health.down("RETRYING", "Kafka error, retrying: " + c.kafkaError());
    }
    if (follower.failure() != null) {
      return Health.down("FAILED", "reading training data failed: " + follower.failure());
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("model", config.modelName());
    details.put("role", c.active() ? "active" : "standby");
    details.put("completeStudies", cache.completeStudies());
    details.put("cachedSlices", cache.cachedSlices());
    details.put("studiesAtLastRun", c.studiesAtLastRun());
    details.put("lastOutcome", c.lastOutcome());
    return new Health(true, c.state(), details);
  }

  /**
   * IDLE, TRAINING, WAITING_FOR_DATA, WAITING_TO_RETRY, PUBLISHING, STANDBY (or STARTING, FENCED,
   * FAILED).
   */
  public String state() {
    TrainingCoordinator c = coordinator;
    return c == null ? "STARTING" : c.state();
  }

  @Override
  public synchronized void close() {
    if (coordinator == null) {
      return;
    }
    coordinator.stop();
    follower.stop();
    join(coordinatorThread);
    join(followerThread);
    outcomes.close();
    progress.close();
    deadLetters.close();
    models.blobs().ifPresent(BlobStore::close);
    coordinator = null;
    LOG.info("trainer stopped");
  }

  private static void join(Thread thread) {
    try {
      thread.join(90_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
