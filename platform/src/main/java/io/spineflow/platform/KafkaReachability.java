package io.spineflow.platform;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.errors.AuthenticationException;

/**
 * Fails fast, with one line, when Kafka cannot be used: naming {@code bootstrap.servers} when it
 * cannot be reached, {@code kafka.properties} when it refuses the client's login.
 */
public final class KafkaReachability {
  private KafkaReachability() {}

  public static void verify(Admin admin, String bootstrapServers, Duration timeout) {
    try {
      admin
          .describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
          .clusterId()
          .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      // A refused login is not an unreachable broker: the fix is in the security settings.
      if (e.getCause() instanceof AuthenticationException refused) {
        throw new ConfigException(
            CommonSettings.KAFKA_PROPERTIES.name(),
            "authentication to Kafka at "
                + bootstrapServers
                + " failed ("
                + refused.getMessage()
                + "); check security.protocol, sasl.mechanism and the user and password in"
                + " sasl.jaas.config",
            refused);
      }
      throw unreachable(bootstrapServers, timeout, e.getCause());
    } catch (TimeoutException e) {
      throw unreachable(bootstrapServers, timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConfigException(CommonSettings.BOOTSTRAP_SERVERS.name(), "interrupted", e);
    }
  }

  private static ConfigException unreachable(
      String bootstrapServers, Duration timeout, Throwable cause) {
    return new ConfigException(
        CommonSettings.BOOTSTRAP_SERVERS.name(),
        "cannot reach Kafka at "
            + bootstrapServers
            + " within "
            + timeout.toSeconds()
            + " s (is the broker running and the address right?)",
        cause);
  }
}
