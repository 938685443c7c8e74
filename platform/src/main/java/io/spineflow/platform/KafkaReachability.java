package io.spineflow.platform;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/** Fails fast, with one line naming {@code bootstrap.servers}, when Kafka cannot be reached. */
public final class KafkaReachability {
  private KafkaReachability() {}

  public static void verify(Admin admin, String bootstrapServers, Duration timeout) {
    try {
      admin
          .describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
          .clusterId()
          .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new ConfigException(
          CommonSettings.BOOTSTRAP_SERVERS.name(),
          "cannot reach Kafka at "
              + bootstrapServers
              + " within "
              + timeout.toSeconds()
              + " s (is the broker running and the address right?)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConfigException(CommonSettings.BOOTSTRAP_SERVERS.name(), "interrupted", e);
    }
  }
}
