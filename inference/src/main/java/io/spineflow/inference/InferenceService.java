package io.spineflow.inference;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.spineflow.events.DeadLetter;
import io.spineflow.events.ModelAnnouncement;
import io.spineflow.events.Slice;
import io.spineflow.model.ModelArtifacts;
import io.spineflow.model.ModelStore;
import io.spineflow.platform.Health;
import io.spineflow.platform.InstanceIdentity;
import io.spineflow.platform.ServiceContext;
import io.spineflow.platform.SupervisedThread;
import io.spineflow.platform.TransactionalPublisher;
import io.spineflow.schemas.Topic;
import io.spineflow.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Segments every slice with the live model.
 *
 * <p>Consumes: {@code slices} (studyUid/sliceIndex → {@link Slice}), {@code models} (model name →
 * {@link ModelAnnouncement}, compacted; the latest is served). Produces: {@code masks}
 * (studyUid/sliceIndex → Mask) and {@code quality} (studyUid/sliceIndex → Quality) in one
 * transaction with the consumed offsets; {@code deadletter} (model name → DeadLetter) for a model
 * that fails verification.
 *
 * <p>With no model announced yet it consumes nothing and says so on /health (WAITING_FOR_MODEL):
 * slices wait in Kafka, none is dropped.
 */
public final class InferenceService implements io.spineflow.platform.Service {
  private static final Logger LOG = LoggerFactory.getLogger(InferenceService.class);
  public static final String NAME = "inference";
  public static final int DEFAULT_HTTP_PORT = 8083;

  /**
   * The consumer group of slices under an empty topic prefix, whose lag an autoscaler watches
   * (deploy/, KEDA); with {@code topic.prefix} set it is {@link #groupId(Topics)}.
   */
  public static final String GROUP_ID = "spineflow-inference";

  private final ServiceContext context;
  private final InferenceConfig config;
  private final ModelLoader loader;
  private final HotSwapSlot<ServedModel> slot = new HotSwapSlot<>(ServedModel::close);
  private InferenceLoop loop;
  private final ModelWatcher.Gauges gauges;
  private SupervisedThread watcher;
  private Thread loopThread;
  private KafkaProducer<String, DeadLetter> deadLetters;
  private InstanceIdentity identity;

  private final String hostName;

  public InferenceService(ServiceContext context, InferenceConfig config, ModelLoader loader) {
    this(context, config, loader, System.getenv("HOSTNAME"));
  }

  /**
   * @param hostName this host's name (the {@code HOSTNAME} environment variable), or null: with no
   *     {@code inference.instance.id}, a StatefulSet-style one is the instance id ({@link
   *     InstanceIdentity})
   */
  InferenceService(
      ServiceContext context, InferenceConfig config, ModelLoader loader, String hostName) {
    this.context = context;
    this.config = config;
    this.loader = loader;
    this.hostName = hostName;
    this.gauges = ModelWatcher.Gauges.register(context.metrics());
  }

  /** Wait before restarting a model watcher that died (doubled on each failure, up to 30 s). */
  private static final Duration WATCHER_BACKOFF = Duration.ofSeconds(1);

  /** The service with the DJL model loader, configured from {@code context}'s settings. */
  public static InferenceService create(ServiceContext context) {
    return create(context, System.getenv("HOSTNAME"));
  }

  /** The same, on a host named {@code hostName} (tests: independent of the machine's). */
  static InferenceService create(ServiceContext context, String hostName) {
    InferenceConfig config = InferenceConfig.from(context.settings());
    return new InferenceService(
        context,
        config,
        new DjlModelLoader(
            config.modelStore(),
            config.batchPolicy().maxBatchSize(),
            config.threads(),
            config.swapWarmupRounds(),
            config.loaderNice(),
            config.device(),
            // With an object store, the announced files are fetched into this instance's data
            // directory: no volume shared with the trainer.
            ModelArtifacts.remote(context.settings(), context.serviceDir().resolve("blob-spool"))
                .map(blobs -> new ModelStore(context.serviceDir().resolve("models"), blobs))
                .orElse(null)),
        hostName);
  }

  /** The topics this service creates at start-up. */
  public static List<Topic<String, ?>> ownedTopics(Topics topics) {
    return List.of(topics.masks(), topics.quality(), topics.models(), topics.deadletter());
  }

  @Override
  public String name() {
    return "inference";
  }

  @Override
  public void start() {
    Topics topics = context.topics();
    // Resolved (and its data directory locked) before any client exists: a second instance on the
    // same data.dir fails here with one line, before it could fence the first.
    identity = InstanceIdentity.resolve(config.instanceId(), hostName, context.serviceDir());
    String id = identity.id();
    String member = memberId(topics, id);
    LOG.info("instance id {} (from {}): transactional.id {}", id, identity.source(), member);
    // Values as bytes: each record is decoded (or dead-lettered) in its batch, so a poisonous one
    // never stops poll().
    HeldBound bound = HeldBound.forBatch(config.batchPolicy().maxBatchSize());
    KafkaConsumer<String, byte[]> sliceConsumer =
        new KafkaConsumer<>(
            sliceConsumerProps(
                context.kafka().consumer(groupId(topics), "inference-" + id), member, bound),
            new StringDeserializer(),
            new ByteArrayDeserializer());
    TransactionalPublisher<String, Object> publisher =
        new TransactionalPublisher<>(
            "inference-" + id,
            () -> {
              KafkaProducer<String, Object> p =
                  new KafkaProducer<>(
                      context.kafka().producer("inference-" + id, member, 1 << 20),
                      new StringSerializer(),
                      new EventSerializer(topics));
              new KafkaClientMetrics(p).bindTo(context.metrics());
              return p;
            },
            TransactionalPublisher.COMMIT_RETRY);
    deadLetters =
        new KafkaProducer<>(
            context.kafka().producer("inference-deadletter-" + id, null, 1 << 20),
            new StringSerializer(),
            topics.deadletter().valueSerde().serializer());
    new KafkaClientMetrics(sliceConsumer).bindTo(context.metrics());
    loop =
        new InferenceLoop(
            sliceConsumer,
            publisher,
            topics,
            slot,
            config.batchPolicy(),
            bound,
            new SliceOutputs(config.nsdToleranceMm()),
            context.metrics());
    watcher = new SupervisedThread("inference-models", this::newWatcher, WATCHER_BACKOFF);
    loopThread =
        new Thread(
            () -> {
              try {
                loop.run();
              } finally {
                sliceConsumer.close();
                publisher.close();
              }
            },
            "inference-loop");
    watcher.start();
    loopThread.start();
  }

  /** A model watcher with a consumer of its own (a restarted one gets a fresh consumer). */
  private ModelWatcher newWatcher() {
    String id = identity.id();
    KafkaConsumer<String, byte[]> modelConsumer =
        new KafkaConsumer<>(
            context.kafka().consumer("unused-" + UUID.randomUUID(), "inference-models-" + id),
            new StringDeserializer(),
            new ByteArrayDeserializer());
    return new ModelWatcher(
        modelConsumer, deadLetters, context.topics(), config.modelName(), loader, slot, gauges);
  }

  /**
   * The slices consumer group: the topic prefix, then {@link #GROUP_ID}, so two deployments sharing
   * a cluster under different prefixes never share a group (as their Streams application ids).
   */
  public static String groupId(Topics topics) {
    return topics.prefix() + GROUP_ID;
  }

  /** This instance's transactional.id and static group.instance.id: the group id, then the id. */
  static String memberId(Topics topics, String instanceId) {
    return groupId(topics) + "-" + instanceId;
  }

  private static Map<String, Object> sliceConsumerProps(
      Map<String, Object> props, String member, HeldBound bound) {
    // One batch per poll, so pausing at the bound keeps the held slices within it; the rest of a
    // backlog waits in Kafka (the fetcher's own buffer is bounded by fetch.max.bytes).
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, bound.maxPollRecords());
    // Static membership: a restarted instance (same id) takes its partitions back at once instead
    // of waiting for the dead one's session to expire.
    props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, member);
    props.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 15_000);
    // Cooperative: a rebalance takes from this instance only the partitions that move, so a new
    // replica joining does not stop every instance's work. The loop is correct under it: the
    // revoked partitions' transaction in flight is settled in onPartitionsRevoked, before they
    // are handed over (a cooperative assignor hands them over only in the follow-up rebalance),
    // and only their held slices are dropped; a transaction whose group generation moved on
    // meanwhile aborts and the loop reads again from the committed offsets.
    props.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        CooperativeStickyAssignor.class.getName());
    return props;
  }

  @Override
  public Health health() {
    if (loop == null) {
      return Health.down("STARTING", "not started");
    }
    Optional<String> watcherFailure = watcher.failure();
    if (watcherFailure.isPresent()) {
      // The old model would serve for ever without anyone noticing a new one.
      return Health.down("ERROR", watcherFailure.get() + "; restarting it");
    }
    String state = loop.state();
    Map<String, Object> details =
        Map.of(
            "model",
            config.modelName(),
            "liveVersion",
            gauges.liveVersion().get(),
            "watcherRestarts",
            watcher.restarts(),
            "instanceId",
            identity.id(),
            "instanceIdFrom",
            identity.source().name(),
            "device",
            loader.device());
    return switch (state) {
      case "RUNNING" -> new Health(true, state, details);
      case "FENCED", "FAILED" -> Health.down(state, loop.stopReason());
      case "WAITING_FOR_MODEL" ->
          new Health(
              true,
              state,
              Map.of(
                  "model",
                  config.modelName(),
                  "reason",
                  "no model announced yet: slices wait in Kafka",
                  "instanceId",
                  identity.id(),
                  "instanceIdFrom",
                  identity.source().name(),
                  "device",
                  loader.device()));
      default -> new Health(false, state, details);
    };
  }

  /**
   * This instance's id (its transactional.id is [topic prefix]spineflow-inference-<id>), once
   * started.
   */
  public String instanceId() {
    return identity == null ? null : identity.id();
  }

  /** Slices held in memory now (polled, not yet published); at most {@link #heldBound()}. */
  public int heldSlices() {
    return loop == null ? 0 : loop.held();
  }

  /** The most slices held at once since start. */
  public int heldSlicesMax() {
    return loop == null ? 0 : loop.heldMax();
  }

  /** The most slices the service holds in memory: 2 x {@code inference.max.batch}. */
  public int heldBound() {
    return HeldBound.forBatch(config.batchPolicy().maxBatchSize()).maxHeld();
  }

  /** The version being served, or -1. */
  public int liveVersion() {
    return gauges.liveVersion().get();
  }

  @Override
  public void close() {
    if (loop != null) {
      loop.stop();
      watcher.close();
      join(loopThread);
      deadLetters.close();
      slot.close();
      loop = null;
    }
    loader.close();
    if (identity != null) {
      // Last: the data directory stays this instance's until its clients are closed.
      identity.close();
    }
  }

  private static void join(Thread thread) {
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Serialises masks and quality records with their topic's serde. */
  private static final class EventSerializer implements Serializer<Object> {
    private final Serializer<io.spineflow.events.Mask> masks;
    private final Serializer<io.spineflow.events.Quality> quality;
    private final Serializer<DeadLetter> deadLetters;

    EventSerializer(Topics topics) {
      this.masks = topics.masks().valueSerde().serializer();
      this.quality = topics.quality().valueSerde().serializer();
      this.deadLetters = topics.deadletter().valueSerde().serializer();
    }

    @Override
    public byte[] serialize(String topic, Object data) {
      return serialize(topic, null, data);
    }

    @Override
    public byte[] serialize(
        String topic, org.apache.kafka.common.header.Headers headers, Object data) {
      if (data instanceof io.spineflow.events.Mask mask) {
        return masks.serialize(topic, headers, mask);
      }
      if (data instanceof io.spineflow.events.Quality q) {
        return quality.serialize(topic, headers, q);
      }
      if (data instanceof DeadLetter letter) {
        return deadLetters.serialize(topic, headers, letter);
      }
      throw new IllegalArgumentException("inference does not publish " + data.getClass());
    }
  }
}
