package io.spineflow.platform;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The group metadata a consumer that assigns its partitions (as the trainer's does) hands to {@code
 * sendOffsetsToTransaction}: taken from a real consumer, since Kafka 4.4 deprecates building it by
 * hand. The consumer never connects: creating it and reading its metadata need no broker.
 */
final class AssignedGroup {
  private AssignedGroup() {}

  static ConsumerGroupMetadata metadata(String groupId) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            "localhost:9",
            ConsumerConfig.GROUP_ID_CONFIG,
            groupId,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      return consumer.groupMetadata();
    }
  }
}
