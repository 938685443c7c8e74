package io.spineflow.platform;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.spineflow.platform.deadletter.DeadLetterHandlers;
import io.spineflow.platform.deadletter.KafkaDeadLetterPublisher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one Kafka Streams topology for a service, the same way in every service: exactly-once
 * settings, static membership, dead-lettering exception handlers, metrics, start-up wait, health
 * and a clean close. Services keep only their topology and their own settings.
 *
 * <p>A record that cannot be decoded, that a processor throws on, or whose output cannot be written
 * becomes one dead letter ({@code deadletter}, with reason, field and limit) and the stream carries
 * on. What still stops the stream is Kafka's own fatal error (health turns DOWN so the orchestrator
 * restarts the service).
 */
public final class StreamsRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamsRunner.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private final ServiceContext context;
  private final Properties properties;
  private volatile KafkaStreams streams;
  private KafkaStreamsMetrics metrics;
  private KafkaDeadLetterPublisher publisher;
  private volatile boolean closed;

  /**
   * @param properties from {@link #properties}, plus the service's own settings
   */
  public StreamsRunner(ServiceContext context, Properties properties) {
    this.context = context;
    this.properties = properties;
  }

  /**
   * The application id of a service's topology: the topic prefix, then {@code base} (e.g. {@code
   * spineflow-ingest}), so two deployments sharing a cluster under different prefixes never share a
   * consumer group, transactional ids or internal topics.
   */
  public static String applicationId(ServiceContext context, String base) {
    return context.topics().prefix() + base;
  }

  /**
   * The settings every spineflow topology runs with, on top of the platform's exactly-once client
   * settings, each with its reason.
   *
   * @param applicationId consumer group, transactional id prefix and internal topic prefix
   * @param stateDir where the state stores live; the static member id is kept beside it
   * @param maxRecordBytes the largest record the topology writes
   */
  public static Properties properties(
      ServiceContext context, String applicationId, Path stateDir, int maxRecordBytes) {
    Properties props = context.kafka().streams(applicationId, stateDir, maxRecordBytes);
    // Internal topics (changelogs, repartitions) as durable as the data topics: -1 (the default)
    // leaves it to the broker's default.replication.factor, never forcing 1 on a real cluster.
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) context.replicationFactor());
    // Streams' exactly-once default is 10 s; one upload may decode 256 MiB inside a transaction.
    props.put(
        StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
        (int) context.settings().duration(CommonSettings.STREAMS_TRANSACTION_TIMEOUT).toMillis());
    // Static membership, with an id kept beside the state: an instance restarted on the same state
    // directory (after a crash or a stop) takes its partitions back at once, instead of the group
    // waiting session.timeout.ms (45 s) for the old member to be declared dead.
    props.put(
        StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG),
        instanceId(stateDir, context.serviceName()));
    // RocksDB's per-store defaults grow native memory, outside the heap, with every store and
    // partition; one shared pool bounds it (BoundedRocksDbMemory).
    int rocksDbMib = context.settings().integer(CommonSettings.STREAMS_ROCKSDB_MEMORY_MB, 0, 65536);
    if (rocksDbMib > 0) {
      props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class);
      props.put(BoundedRocksDbMemory.TOTAL_BYTES_CONFIG, Long.toString((long) rocksDbMib << 20));
    }
    // The publisher is added when the client is created (start).
    DeadLetterHandlers.install(props, context.serviceName(), null);
    return props;
  }

  /**
   * This instance's stable member id: read from {@code <stateDir>/../instance.id}, created with a
   * random value on first start. Unique per state directory, which Kafka Streams already locks.
   */
  public static String instanceId(Path stateDir, String serviceName) {
    Path file = stateDir.resolveSibling("instance.id");
    try {
      if (Files.exists(file)) {
        String id = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (!id.isEmpty()) {
          return id;
        }
      }
      Files.createDirectories(file.getParent());
      String id = serviceName + "-" + UUID.randomUUID();
      Files.writeString(file, id, StandardCharsets.UTF_8);
      return id;
    } catch (IOException e) {
      throw new ConfigException(
          CommonSettings.DATA_DIR.name(), "cannot keep the instance id in " + file + ": " + e);
    }
  }

  /**
   * Starts {@code topology} and waits up to {@code startup.timeout} for it to run; past that it
   * keeps trying in the background (see {@link #health}).
   */
  public synchronized void start(Topology topology) {
    if (streams != null || closed) {
      return;
    }
    String name = context.serviceName();
    publisher =
        KafkaDeadLetterPublisher.create(
            context.kafka().producer(name + "-deadletter", null, 1 << 20),
            context.topics().deadletter());
    Properties props = new Properties();
    props.putAll(properties);
    DeadLetterHandlers.publisher(props, publisher);
    KafkaStreams created = new KafkaStreams(topology, props);
    CountDownLatch running = new CountDownLatch(1);
    created.setStateListener(
        (now, before) -> {
          LOG.info("{} streams {} -> {}", name, before, now);
          if (now == KafkaStreams.State.RUNNING) {
            running.countDown();
          }
        });
    // Per-record failures are dead-lettered by the handlers; what reaches here is Kafka's own fatal
    // error. Stop the client and report DOWN so the orchestrator restarts the service.
    created.setUncaughtExceptionHandler(
        e -> {
          LOG.error("{} streams thread failed; stopping (health turns DOWN)", name, e);
          return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    metrics = new KafkaStreamsMetrics(created);
    metrics.bindTo(context.metrics());
    streams = created;
    created.start();
    awaitRunning(running);
  }

  private void awaitRunning(CountDownLatch running) {
    try {
      if (!running.await(context.startupTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn(
            "{} streams not RUNNING after {} (state {}); carrying on (see /health)",
            context.serviceName(),
            context.startupTimeout(),
            streams.state());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The running client (for interactive queries), or null before {@link #start}. */
  public KafkaStreams streams() {
    return streams;
  }

  /** The state of Kafka Streams: NOT_STARTED, CREATED, RUNNING, ..., or STOPPED once closed. */
  public String state() {
    KafkaStreams current = streams;
    return closed ? "STOPPED" : current == null ? "NOT_STARTED" : current.state().name();
  }

  /**
   * Up while Kafka Streams runs or rebalances: RUNNING; STARTING before; STOPPED after {@link
   * #close}; ERROR when it stopped on its own.
   *
   * @param details the service's own details, added after {@code streams}
   */
  public Health health(Map<String, Object> details) {
    KafkaStreams current = streams;
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("streams", state());
    all.put("applicationId", properties.get(StreamsConfig.APPLICATION_ID_CONFIG));
    all.putAll(details);
    if (closed) {
      return new Health(false, "STOPPED", all);
    }
    if (current == null || current.state() == KafkaStreams.State.CREATED) {
      return new Health(false, "STARTING", all);
    }
    KafkaStreams.State state = current.state();
    boolean up = state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
    return new Health(up, up ? "RUNNING" : "ERROR", all);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    KafkaStreams current = streams;
    if (current != null) {
      // Leave the group on a clean stop (it removes the static member): another replica takes the
      // partitions at once instead of after session.timeout.ms (45 s).
      current.close(
          CloseOptions.groupMembershipOperation(GroupMembershipOperation.LEAVE_GROUP)
              .withTimeout(CLOSE_TIMEOUT));
    }
    if (metrics != null) {
      metrics.close();
    }
    if (publisher != null) {
      publisher.close();
    }
    LOG.info("{} streams stopped", context.serviceName());
  }
}
