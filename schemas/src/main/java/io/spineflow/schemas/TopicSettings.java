package io.spineflow.schemas;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a topic is created: partitions, cleanup, retention and size, and what its partition count
 * means to the services reading it (checked against the cluster at start). Each non-default Kafka
 * setting says why in {@link Topics}.
 *
 * @param retentionMs -1 keeps records forever
 * @param maxMessageBytes the topic's {@code max.message.bytes}; producers and consumers must allow
 *     it
 * @param exactPartitions the count is part of the contract (one partition: a total order, or a task
 *     shared with a one-partition topic), so any other count is wrong, not just slower
 * @param coPartitionedWith full names of the topics whose records of one key must meet in the same
 *     task as this topic's (a merge or join by key): their partition counts must be equal
 */
public record TopicSettings(
    int partitions,
    boolean compacted,
    long retentionMs,
    int maxMessageBytes,
    String compression,
    boolean exactPartitions,
    List<String> coPartitionedWith) {

  public static final long DAY_MS = 24L * 3600 * 1000;

  public TopicSettings {
    coPartitionedWith = List.copyOf(coPartitionedWith);
  }

  /** A topic whose partition count only sets how many consumers can share it. */
  public TopicSettings(
      int partitions,
      boolean compacted,
      long retentionMs,
      int maxMessageBytes,
      String compression) {
    this(partitions, compacted, retentionMs, maxMessageBytes, compression, false, List.of());
  }

  public TopicSettings withPartitions(int count) {
    return new TopicSettings(
        count,
        compacted,
        retentionMs,
        maxMessageBytes,
        compression,
        exactPartitions,
        coPartitionedWith);
  }

  /** The same, with its partition count part of the contract. */
  public TopicSettings withExactPartitions() {
    return new TopicSettings(
        partitions, compacted, retentionMs, maxMessageBytes, compression, true, coPartitionedWith);
  }

  /** The same, co-partitioned with the topics named. */
  public TopicSettings withCoPartitioned(String... topicNames) {
    return new TopicSettings(
        partitions,
        compacted,
        retentionMs,
        maxMessageBytes,
        compression,
        exactPartitions,
        List.of(topicNames));
  }

  /** The topic-level Kafka configs to create it with. */
  public Map<String, String> kafkaConfigs() {
    Map<String, String> configs = new LinkedHashMap<>();
    configs.put("cleanup.policy", compacted ? "compact" : "delete");
    configs.put("retention.ms", Long.toString(retentionMs));
    configs.put("max.message.bytes", Integer.toString(maxMessageBytes));
    configs.put("compression.type", compression);
    return configs;
  }
}
