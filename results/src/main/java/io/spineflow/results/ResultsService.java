package io.spineflow.results;

import io.spineflow.platform.Health;
import io.spineflow.platform.Service;
import io.spineflow.platform.ServiceContext;
import io.spineflow.platform.StreamsRunner;
import io.spineflow.platform.TopicProvisioner;
import io.spineflow.platform.blob.BlobStore;
import io.spineflow.platform.blob.BlobStores;
import io.spineflow.schemas.Topic;
import io.spineflow.schemas.Topics;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The results service: once every slice preprocess emitted for a study revision has its mask, the
 * masks go back into the study's own geometry and one {@code segmentations} event is published per
 * revision, whatever crashes (Kafka Streams, exactly-once v2).
 *
 * <p>Consumes {@code studies} (the header only), {@code slices} (geometry only), {@code
 * slices.summary}, {@code masks}, {@code quality} and {@code models}. Produces {@code
 * segmentations} (key: study UID; value: {@code Segmentation}, its label volume and DICOM
 * Segmentation in the blob store) and {@code deadletter}. State: {@link ResultsTopology}'s stores
 * under {@code <data.dir>/results/streams}.
 */
public final class ResultsService implements Service {
  public static final String NAME = "results";
  public static final int DEFAULT_HTTP_PORT = 8085;

  private final ServiceContext context;
  private final ResultsConfig config;
  private volatile StreamsRunner streams;
  private volatile BlobStore blobs;

  public ResultsService(ServiceContext context, ResultsConfig config) {
    this.context = context;
    this.config = config;
  }

  /** For the launcher: the service configured from the context's settings. */
  public static ResultsService create(ServiceContext context) {
    return new ResultsService(context, ResultsConfig.from(context.settings()));
  }

  /** The topics this service creates (the launcher provisions them before {@link #start()}). */
  public static List<Topic<String, ?>> ownedTopics(Topics topics) {
    return List.of(topics.segmentations(), topics.deadletter());
  }

  @Override
  public String name() {
    return NAME;
  }

  /** Where Kafka Streams keeps its state: {@code <data.dir>/results/streams}. */
  public Path stateDir() {
    return context.serviceDir().resolve("streams");
  }

  @Override
  public synchronized void start() {
    if (streams != null) {
      return;
    }
    ensureInputTopics();
    blobs = BlobStores.open(context.settings(), config.outputDir());
    StreamsRunner runner =
        new StreamsRunner(context, streamsProperties(context, config, stateDir()));
    streams = runner;
    runner.start(ResultsTopology.build(config, context.topics(), blobs, context.metrics()));
  }

  /** Kafka Streams settings on top of the platform's, each with its reason. */
  static Properties streamsProperties(ServiceContext context, ResultsConfig config, Path stateDir) {
    Properties props =
        StreamsRunner.properties(
            context,
            StreamsRunner.applicationId(context, config.applicationId()),
            stateDir,
            ResultsTopology.MAX_PART_BYTES);
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
    // Every part is written once and read at completion: a record cache would only delay them.
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
    return props;
  }

  /**
   * Creates the input topics with the registry's settings if their owners have not yet, so the
   * services can start in any order (Streams stops on a missing source topic). Idempotent.
   */
  private void ensureInputTopics() {
    Topics topics = context.topics();
    try (Admin admin = Admin.create(context.kafka().admin())) {
      new TopicProvisioner(admin, context.replicationFactor())
          .ensure(
              List.of(
                  topics.studies(),
                  topics.slices(),
                  topics.slicesSummary(),
                  topics.masks(),
                  topics.quality(),
                  topics.models()));
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
    if (blobs != null) {
      blobs.close();
    }
  }
}
