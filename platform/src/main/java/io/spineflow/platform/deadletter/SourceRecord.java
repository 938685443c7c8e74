package io.spineflow.platform.deadletter;

/**
 * Where a poisonous record was read: its topic, partition and offset (any of them null when
 * unknown), and its key (the dead letter's key).
 */
public record SourceRecord(String topic, Integer partition, Long offset, String key) {
  /** {@code topic/partition/offset}, the format of {@code originalLocation} everywhere. */
  public String location() {
    return topic == null ? "unknown" : topic + "/" + partition + "/" + offset;
  }
}
