package io.spineflow.platform;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Builds Kafka client configurations: bootstrap servers plus pass-through properties (security and
 * anything else the operator sets in {@code kafka.properties}), then spineflow's own choices, each
 * with its reason.
 */
public final class KafkaClients {
  private final String bootstrapServers;
  private final Map<String, Object> passThrough;

  public KafkaClients(String bootstrapServers, Map<String, Object> passThrough) {
    this.bootstrapServers = bootstrapServers;
    this.passThrough = Map.copyOf(passThrough);
  }

  /** From {@code bootstrap.servers} and the optional {@code kafka.properties} file. */
  public static KafkaClients from(Settings settings) {
    String bootstrap = settings.string(CommonSettings.BOOTSTRAP_SERVERS);
    if (bootstrap.isBlank()) {
      throw new ConfigException(CommonSettings.BOOTSTRAP_SERVERS.name(), "must not be empty");
    }
    Map<String, Object> extra = new HashMap<>();
    String file = settings.string(CommonSettings.KAFKA_PROPERTIES);
    if (!file.isBlank()) {
      Properties props = new Properties();
      try (InputStream in = Files.newInputStream(Path.of(file))) {
        props.load(in);
      } catch (IOException e) {
        throw new ConfigException(
            CommonSettings.KAFKA_PROPERTIES.name(), "cannot read " + file + " (" + e + ")");
      }
      props.forEach((k, v) -> extra.put(k.toString(), v));
    }
    return new KafkaClients(bootstrap, extra);
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  private Map<String, Object> base() {
    Map<String, Object> props = new HashMap<>(passThrough);
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return props;
  }

  public Map<String, Object> admin() {
    Map<String, Object> props = base();
    props.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
    return props;
  }

  /**
   * An idempotent producer; with a {@code transactionalId}, a transactional one (exactly-once
   * consume-transform-produce).
   *
   * @param transactionalId null for a non-transactional producer
   * @param maxRequestBytes the largest record it must send (the target topic's max.message.bytes)
   */
  public Map<String, Object> producer(
      String clientId, String transactionalId, int maxRequestBytes) {
    Map<String, Object> props = base();
    props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    // Studies are large single records; the default 1 MiB would reject them in the client.
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRequestBytes);
    props.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
    props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
    if (transactionalId != null) {
      props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    }
    return props;
  }

  /**
   * A consumer that reads only committed records and commits offsets itself (in a transaction or
   * after processing), never automatically.
   */
  public Map<String, Object> consumer(String groupId, String clientId) {
    Map<String, Object> props = base();
    props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return props;
  }

  /** Kafka Streams with exactly-once v2 and the given state directory. */
  public Properties streams(String applicationId, Path stateDir, int maxRequestBytes) {
    Properties props = new Properties();
    props.putAll(base());
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
    props.put(
        StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), maxRequestBytes);
    props.put(
        StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG),
        passThrough.getOrDefault(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd"));
    props.put(
        StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG),
        passThrough.getOrDefault(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
    return props;
  }
}
