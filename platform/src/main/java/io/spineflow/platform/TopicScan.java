package io.spineflow.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a whole topic once, for a command that looks something up in it ({@code export}, {@code
 * forget}): every partition assigned (no consumer group, nothing committed), from its beginning to
 * the end offset it had when the scan started, so a topic that keeps growing still ends; bounded in
 * time. Values stay bytes: the caller decodes only the records it wants ({@code EventDecoder}), so
 * one bad record cannot stop the scan.
 */
public final class TopicScan {
  private TopicScan() {}

  /**
   * Hands {@code visitor} every record of {@code topic} below the end offsets it has now, in offset
   * order per partition.
   *
   * @param consumer consumer settings ({@link KafkaClients#consumer}); its group id is dropped
   * @param requestTimeout for the partitions and end offsets
   * @param readTimeout for reading to those ends
   * @throws UncheckedIOException naming the topic when it was not read to its end in time
   */
  public static void toCurrentEnd(
      Map<String, Object> consumer,
      String topic,
      Duration requestTimeout,
      Duration readTimeout,
      Consumer<ConsumerRecord<String, byte[]>> visitor) {
    Map<String, Object> props = new HashMap<>(consumer);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG); // assigned partitions, nothing committed
    try (KafkaConsumer<String, byte[]> client =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo p : client.partitionsFor(topic, requestTimeout)) {
        partitions.add(new TopicPartition(topic, p.partition()));
      }
      client.assign(partitions);
      client.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = client.endOffsets(partitions, requestTimeout);
      long deadline = System.nanoTime() + readTimeout.toNanos();
      while (!reachedEnd(client, end)) {
        if (System.nanoTime() > deadline) {
          throw new UncheckedIOException(
              new IOException(topic + " was not read to its end within " + readTimeout));
        }
        for (ConsumerRecord<String, byte[]> r : client.poll(Duration.ofMillis(200))) {
          if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
            visitor.accept(r);
          }
        }
      }
    }
  }

  private static boolean reachedEnd(KafkaConsumer<?, ?> client, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (client.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }
}
