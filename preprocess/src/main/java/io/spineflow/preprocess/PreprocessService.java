package io.spineflow.preprocess;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.spineflow.platform.CommonSettings;
import io.spineflow.platform.ConfigException;
import io.spineflow.platform.Health;
import io.spineflow.platform.Service;
import io.spineflow.platform.ServiceContext;
import io.spineflow.platform.TopicProvisioner;
import io.spineflow.platform.volume.ClaimCheckStore;
import io.spineflow.platform.volume.VolumeMapper;
import io.spineflow.schemas.Topic;
import io.spineflow.schemas.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The preprocess service: turns each 3D study into filtered, normalised 2D sagittal slices for the
 * model, with Kafka Streams and exactly-once processing.
 *
 * <p>Consumes:
 *
 * <ul>
 *   <li>{@code studies} (key: study UID; value: {@code Study} with the image and an optional SPIDER
 *       label mask, inline or by claim check)
 * </ul>
 *
 * Produces:
 *
 * <ul>
 *   <li>{@code slices} (key: {@code studyUid/sliceIndex}; value: {@code Slice}, one per kept
 *       sagittal slice, with its merged 4-class label when the study is labelled)
 *   <li>{@code slices.summary} (key: study UID; value: {@code SliceSummary}: emitted slice indexes
 *       and dropped counts by reason, published after the study's slices in the same transaction:
 *       the study is complete)
 *   <li>{@code deadletter} (key: the original key; value: {@code DeadLetter} with reason code,
 *       field, limit and {@code topic/partition/offset} of the rejected study)
 * </ul>
 *
 * State: the store {@value PreprocessTopology#STORE} (study UID → content SHA-256 last sliced),
 * under {@code <data.dir>/preprocess/streams}.
 */
public final class PreprocessService implements Service {
  private static final Logger LOG = LoggerFactory.getLogger(PreprocessService.class);

  public static final String NAME = "preprocess";
  public static final int DEFAULT_HTTP_PORT = 8082;

  /** Studies are MiB-sized: a small poll keeps memory and each transaction bounded. */
  static final int MAX_POLL_RECORDS = 4;

  private final ServiceContext context;
  private final PreprocessConfig config;
  private final Clock clock;
  private volatile KafkaStreams streams;
  private KafkaStreamsMetrics streamsMetrics;

  public PreprocessService(ServiceContext context, PreprocessConfig config) {
    this(context, config, Clock.systemUTC());
  }

  PreprocessService(ServiceContext context, PreprocessConfig config, Clock clock) {
    this.context = context;
    this.config = config;
    this.clock = clock;
  }

  /** For the launcher: the service configured from the context's settings. */
  public static PreprocessService create(ServiceContext context) {
    return new PreprocessService(context, PreprocessConfig.from(context.settings()));
  }

  /** The topics this service creates (the launcher provisions them before {@link #start()}). */
  public static List<Topic<String, ?>> ownedTopics(Topics topics) {
    return List.of(topics.slices(), topics.slicesSummary(), topics.deadletter());
  }

  @Override
  public String name() {
    return NAME;
  }

  /** Where Kafka Streams keeps its state: {@code <data.dir>/preprocess/streams}. */
  public Path stateDir() {
    return context.serviceDir().resolve("streams");
  }

  @Override
  public synchronized void start() {
    if (streams != null) {
      return;
    }
    ensureInputTopic();
    VolumeMapper volumes =
        new VolumeMapper(
            new ClaimCheckStore(config.claimCheckDir()), Topics.STUDY_INLINE_MAX_BYTES);
    KafkaStreams created =
        new KafkaStreams(
            PreprocessTopology.buildTopology(
                config, context.topics(), volumes, clock, context.metrics()),
            streamsProperties(context, config, stateDir()));
    CountDownLatch running = new CountDownLatch(1);
    created.setStateListener(
        (now, before) -> {
          LOG.info("preprocess streams {} -> {}", before, now);
          if (now == KafkaStreams.State.RUNNING) {
            running.countDown();
          }
        });
    // Per-record failures are dead-lettered in the processor; what reaches here is Kafka's own
    // fatal error. Stop the client and report DOWN so the orchestrator restarts the service.
    created.setUncaughtExceptionHandler(
        e -> {
          LOG.error("preprocess streams thread failed; stopping", e);
          return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    streamsMetrics = new KafkaStreamsMetrics(created);
    streamsMetrics.bindTo(context.metrics());
    streams = created;
    created.start();
    try {
      if (!running.await(context.startupTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn(
            "preprocess streams not RUNNING after {} (state {}); carrying on",
            context.startupTimeout(),
            created.state());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Kafka Streams settings on top of the platform's exactly-once defaults, each with its reason.
   */
  static Properties streamsProperties(
      ServiceContext context, PreprocessConfig config, Path stateDir) {
    Properties props =
        context.kafka().streams(config.applicationId(), stateDir, Topics.SLICE_MAX_BYTES);
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
    // The one store gets one small write per study; a record cache would only delay it.
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
    // Study values are decoded (and dead-lettered) inside the processor; only keys are decoded by
    // Streams, and a String key never fails. Belt and braces: never let a record stop the stream
    // (Streams counts skipped records in its dropped-records metric).
    props.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        LogAndContinueExceptionHandler.class.getName());
    props.put(
        StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), MAX_POLL_RECORDS);
    // A whole study (up to the topic's max.message.bytes) must fit one fetch.
    props.put(
        StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG),
        Topics.STUDY_MAX_BYTES);
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) context.replicationFactor());
    // Static membership, with an id kept beside the state: an instance restarted on the same state
    // directory (after a crash or a stop) takes its partitions back at once, instead of the group
    // waiting session.timeout.ms (45 s) for the old member to be declared dead.
    props.put(
        StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG),
        instanceId(stateDir));
    return props;
  }

  /**
   * This instance's stable member id: read from {@code <stateDir>/../instance.id}, created with a
   * random value on first start. Unique per state directory, which Kafka Streams already locks.
   */
  static String instanceId(Path stateDir) {
    Path file = stateDir.resolveSibling("instance.id");
    try {
      if (Files.exists(file)) {
        String id = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (!id.isEmpty()) {
          return id;
        }
      }
      Files.createDirectories(file.getParent());
      String id = NAME + "-" + UUID.randomUUID();
      Files.writeString(file, id, StandardCharsets.UTF_8);
      return id;
    } catch (IOException e) {
      throw new ConfigException(
          CommonSettings.DATA_DIR.name(), "cannot keep the instance id in " + file + ": " + e);
    }
  }

  /**
   * Creates {@code studies} with the registry's settings if ingest has not yet, so the services can
   * start in any order (Streams stops on a missing source topic). Idempotent.
   */
  private void ensureInputTopic() {
    try (Admin admin = Admin.create(context.kafka().admin())) {
      new TopicProvisioner(admin, context.replicationFactor())
          .ensure(List.of(context.topics().studies()));
    }
  }

  @Override
  public Health health() {
    KafkaStreams s = streams;
    if (s == null) {
      return Health.down("CREATED", "not started");
    }
    KafkaStreams.State state = s.state();
    return switch (state) {
      case RUNNING, REBALANCING ->
          new Health(
              true,
              state.name(),
              Map.of("applicationId", config.applicationId(), "threads", config.streamThreads()));
      default -> Health.down(state.name(), "Kafka Streams is " + state);
    };
  }

  @Override
  public synchronized void close() {
    KafkaStreams s = streams;
    if (s == null) {
      return;
    }
    // Leave the group on a clean stop (it removes the static member): another replica takes the
    // partitions at once instead of after session.timeout.ms (45 s).
    s.close(new KafkaStreams.CloseOptions().leaveGroup(true).timeout(Duration.ofSeconds(30)));
    if (streamsMetrics != null) {
      streamsMetrics.close();
    }
    streams = null;
    LOG.info("preprocess stopped");
  }
}
