package io.spineflow.preprocess;

import io.spineflow.platform.CommonSettings;
import io.spineflow.platform.Health;
import io.spineflow.platform.Service;
import io.spineflow.platform.ServiceContext;
import io.spineflow.platform.StreamsRunner;
import io.spineflow.platform.TopicProvisioner;
import io.spineflow.platform.volume.ClaimCheckStore;
import io.spineflow.platform.volume.VolumeMapper;
import io.spineflow.schemas.Topic;
import io.spineflow.schemas.Topics;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

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
  public static final String NAME = "preprocess";
  public static final int DEFAULT_HTTP_PORT = 8082;

  /** Studies are MiB-sized: a small poll keeps memory and each transaction bounded. */
  static final int MAX_POLL_RECORDS = 4;

  private final ServiceContext context;
  private final PreprocessConfig config;
  private final Clock clock;
  private volatile StreamsRunner streams;
  private volatile ClaimCheckStore claims;

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
    claims = ClaimCheckStore.open(context.settings(), config.claimCheckDir());
    VolumeMapper volumes = new VolumeMapper(claims, Topics.STUDY_INLINE_MAX_BYTES);
    StreamsRunner runner =
        new StreamsRunner(context, streamsProperties(context, config, stateDir()));
    streams = runner;
    runner.start(
        PreprocessTopology.buildTopology(
            config,
            context.topics(),
            volumes,
            clock,
            context.metrics(),
            context.settings().duration(CommonSettings.DEDUP_RETENTION)));
  }

  /** Kafka Streams settings on top of the platform's, each with its reason. */
  static Properties streamsProperties(
      ServiceContext context, PreprocessConfig config, Path stateDir) {
    Properties props =
        StreamsRunner.properties(
            context,
            StreamsRunner.applicationId(context, config.applicationId()),
            stateDir,
            Topics.SLICE_MAX_BYTES);
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
    // The one store gets one small write per study; a record cache would only delay it.
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
    props.put(
        StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), MAX_POLL_RECORDS);
    // A whole study (up to the topic's max.message.bytes) must fit one fetch.
    props.put(
        StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG),
        Topics.STUDY_MAX_BYTES);
    return props;
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
    StreamsRunner current = streams;
    if (current == null) {
      return Health.down("STARTING", "not started");
    }
    return current.health(Map.of("threads", config.streamThreads()));
  }

  @Override
  public synchronized void close() {
    if (streams != null) {
      streams.close();
    }
    if (claims != null) {
      claims.close();
    }
  }
}
