package io.spineflow.testkit;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Consumer lag as {@code kafka-consumer-groups --describe} (and Grafana, autoscalers) compute it:
 * per partition the end offset minus the group's committed offset, with the AdminClient. Only the
 * partitions of topics under one prefix count, so tests sharing a broker do not see each other's.
 */
public final class ConsumerLag implements AutoCloseable {
  private final Admin admin;

  public ConsumerLag(String bootstrapServers) {
    this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
  }

  /**
   * The lag of {@code group} on every partition it committed under {@code topicPrefix}; a partition
   * with no committed offset is absent.
   */
  public Map<TopicPartition, Long> lag(String group, String topicPrefix) {
    try {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      Map<TopicPartition, OffsetSpec> ask =
          committed.keySet().stream()
              .filter(tp -> tp.topic().startsWith(topicPrefix))
              .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end =
          admin.listOffsets(ask).all().get();
      Map<TopicPartition, Long> lag = new HashMap<>();
      end.forEach((tp, info) -> lag.put(tp, info.offset() - committed.get(tp).offset()));
      return lag;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot read the offsets of " + group, e.getCause());
    }
  }

  /** The consumer groups whose id starts with {@code prefix}. */
  public java.util.Set<String> groups(String prefix) {
    try {
      // Classic and consumer-protocol groups, with or without members (what listConsumerGroups
      // was).
      return admin.listGroups(ListGroupsOptions.forConsumerGroups()).all().get().stream()
          .map(g -> g.groupId())
          .filter(id -> id.startsWith(prefix))
          .collect(Collectors.toSet());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot list consumer groups", e.getCause());
    }
  }

  /**
   * Waits (bounded) until {@code group} has committed on {@code partitions} partitions under {@code
   * topicPrefix} and its lag is 0 on each.
   *
   * @return the last lag read
   */
  public Map<TopicPartition, Long> awaitZero(
      String group, String topicPrefix, int partitions, Duration timeout) {
    java.util.concurrent.atomic.AtomicReference<Map<TopicPartition, Long>> last =
        new java.util.concurrent.atomic.AtomicReference<>(Map.of());
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> {
              Map<TopicPartition, Long> lag = lag(group, topicPrefix);
              last.set(lag);
              if (lag.size() < partitions || !lag.values().stream().allMatch(l -> l == 0)) {
                throw new AssertionError(
                    "lag of "
                        + group
                        + " on "
                        + partitions
                        + " partitions under "
                        + topicPrefix
                        + " not 0: "
                        + lag);
              }
            });
    return last.get();
  }

  @Override
  public void close() {
    admin.close();
  }
}
