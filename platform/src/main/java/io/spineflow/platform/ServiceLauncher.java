package io.spineflow.platform;

import com.sun.net.httpserver.HttpHandler;
import io.spineflow.platform.http.HttpOptions;
import io.spineflow.schemas.Topic;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts services the same way everywhere (one process per service, or all of them in the demo):
 * checks Kafka is reachable, creates the topics each service owns, starts the service, then its
 * {@code /health} and {@code /metrics}. Closing stops them in reverse order.
 */
public final class ServiceLauncher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceLauncher.class);

  private final List<AutoCloseable> running = new ArrayList<>();

  /**
   * Prepares Kafka for {@code context}: fails with a one-line {@link ConfigException} if the
   * brokers cannot be reached, then creates {@code ownedTopics}.
   */
  public static void prepareKafka(
      ServiceContext context, Collection<? extends Topic<?, ?>> ownedTopics) {
    try (Admin admin = Admin.create(context.kafka().admin())) {
      KafkaReachability.verify(admin, context.kafka().bootstrapServers(), context.startupTimeout());
      new TopicProvisioner(admin, context.replicationFactor()).ensure(ownedTopics);
    }
  }

  /**
   * Starts {@code service} and its HTTP server on {@code port}.
   *
   * @param routes service-specific handlers, built once the service exists; may return empty
   */
  public <S extends Service> S launch(
      ServiceContext context, S service, int port, Function<S, Map<String, HttpHandler>> routes) {
    OpsServer.limitRequestTime(context.settings().duration(CommonSettings.HTTP_REQUEST_TIMEOUT));
    // TLS files and the bind address are checked before anything starts: a wrong path is one
    // line naming the setting, not a half-started service.
    HttpOptions http = HttpOptions.from(context.settings(), port);
    service.start();
    running.add(service);
    OpsServer ops =
        OpsServer.start(
            service.name(), http, context.metrics(), service::health, routes.apply(service));
    running.add(ops);
    LOG.info("{} started", service.name());
    return service;
  }

  /** The port the last launched service's HTTP server is on (for tests using port 0). */
  public int lastPort() {
    for (int i = running.size() - 1; i >= 0; i--) {
      if (running.get(i) instanceof OpsServer ops) {
        return ops.port();
      }
    }
    throw new IllegalStateException("nothing launched");
  }

  /** The last launched service's HTTP server (ports, scheme). */
  public OpsServer lastServer() {
    for (int i = running.size() - 1; i >= 0; i--) {
      if (running.get(i) instanceof OpsServer ops) {
        return ops;
      }
    }
    throw new IllegalStateException("nothing launched");
  }

  @Override
  public void close() {
    for (int i = running.size() - 1; i >= 0; i--) {
      try {
        running.get(i).close();
      } catch (Exception e) {
        LOG.warn("error while stopping {}: {}", running.get(i), e.toString());
      }
    }
    running.clear();
  }
}
