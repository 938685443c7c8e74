package io.spineflow.schemas;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a topic is created: partitions, cleanup, retention and size. Each non-default Kafka setting
 * says why in {@link Topics}.
 *
 * @param retentionMs -1 keeps records forever
 * @param maxMessageBytes the topic's {@code max.message.bytes}; producers and consumers must allow
 *     it
 */
public record TopicSettings(
    int partitions, boolean compacted, long retentionMs, int maxMessageBytes, String compression) {

  public static final long DAY_MS = 24L * 3600 * 1000;

  public TopicSettings withPartitions(int count) {
    return new TopicSettings(count, compacted, retentionMs, maxMessageBytes, compression);
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
