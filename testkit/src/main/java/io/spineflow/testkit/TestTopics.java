package io.spineflow.testkit;

import static org.awaitility.Awaitility.await;

import io.spineflow.platform.TopicProvisioner;
import io.spineflow.schemas.Topic;
import io.spineflow.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;

/** A fresh, provisioned set of spineflow topics under a unique prefix, for one test. */
public final class TestTopics {
  private static final long LEADERS_TIMEOUT_MS = 60_000;

  private TestTopics() {}

  /**
   * Creates every topic of the registry under a new prefix, waits until the broker names a leader
   * for every partition, and returns the registry.
   *
   * <p>Why wait: a test producer that sends before the broker has applied the new partitions gets
   * {@code NOT_LEADER_OR_FOLLOWER}, and its idempotent retry can then be refused with {@code
   * OUT_OF_ORDER_SEQUENCE_NUMBER} on every attempt (KAFKA-15591): the test's slices never arrive
   * and it times out (InferenceRebalanceIT did, once, on a loaded machine).
   */
  public static Topics create(String bootstrapServers, int partitions) {
    Topics topics =
        new Topics("t" + UUID.randomUUID().toString().substring(0, 8) + ".", partitions);
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      new TopicProvisioner(admin, (short) 1).ensure(topics.all());
      awaitLeaders(admin, topics.all().stream().map(Topic::name).toList());
    }
    return topics;
  }

  private static void awaitLeaders(Admin admin, List<String> names) {
    await()
        .atMost(Duration.ofMillis(LEADERS_TIMEOUT_MS))
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions() // e.g. a topic the broker does not know yet: ask again
        .until(
            () ->
                withoutLeader(admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS))
                    .isEmpty());
  }

  /** The partitions of {@code topics} without a leader, as text; empty when every one has one. */
  private static String withoutLeader(Map<String, TopicDescription> topics) {
    StringBuilder missing = new StringBuilder();
    for (TopicDescription d : topics.values()) {
      for (TopicPartitionInfo p : d.partitions()) {
        if (p.leader() == null || p.leader().isEmpty()) {
          missing.append(d.name()).append('-').append(p.partition()).append(' ');
        }
      }
    }
    return missing.toString().trim();
  }
}
