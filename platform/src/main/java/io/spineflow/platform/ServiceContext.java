package io.spineflow.platform;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.spineflow.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What a service is given to run: its settings, Kafka client configs, the topic registry, its data
 * directory and its metrics registry. Built once by the launcher (or a test) and injected through
 * the service's constructor.
 */
public record ServiceContext(
    String serviceName,
    Settings settings,
    KafkaClients kafka,
    Topics topics,
    Path dataDir,
    PrometheusMeterRegistry metrics,
    short replicationFactor,
    Duration startupTimeout) {

  /** Resolves the common settings for {@code serviceName}. */
  public static ServiceContext from(String serviceName, Settings settings) {
    Topics topics =
        new Topics(
            settings.string(CommonSettings.TOPIC_PREFIX),
            settings.integer(CommonSettings.TOPIC_PARTITIONS, 1, 1024));
    return new ServiceContext(
        serviceName,
        settings,
        KafkaClients.from(settings),
        topics,
        settings.path(CommonSettings.DATA_DIR).toAbsolutePath(),
        ServiceMetrics.create(serviceName),
        replicationFactor(settings),
        settings.duration(CommonSettings.STARTUP_TIMEOUT));
  }

  /** {@code topic.replication.factor}: 1 to 32, or -1 for the broker's default. */
  static short replicationFactor(Settings settings) {
    int factor = settings.integer(CommonSettings.TOPIC_REPLICATION, -1, 32);
    if (factor == 0) {
      throw new ConfigException(
          CommonSettings.TOPIC_REPLICATION.name(),
          "must be 1 to 32, or -1 for the broker's default");
    }
    return (short) factor;
  }

  /** The service's own subdirectory of the data directory. */
  public Path serviceDir() {
    return dataDir.resolve(serviceName);
  }

  /** The HTTP port: {@code http.port} if set, else the service's default. */
  public int httpPort(int defaultPort) {
    return settings.string(CommonSettings.HTTP_PORT).isEmpty()
        ? defaultPort
        : settings.integer(CommonSettings.HTTP_PORT, 0, 65535);
  }
}
