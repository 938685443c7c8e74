package io.spineflow.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.events.DeadLetter;
import io.spineflow.platform.KafkaClients;
import io.spineflow.schemas.Topic;
import io.spineflow.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The foundation's end-to-end check, run against any broker: an event goes through the real serdes
 * in a committed transaction and comes back with read_committed, while an aborted transaction's
 * event is never seen.
 */
final class KafkaRoundTripScenario {
  private KafkaRoundTripScenario() {}

  static void run(String bootstrapServers) {
    Topics topics = TestTopics.create(bootstrapServers, 3);
    Topic<String, DeadLetter> topic = topics.deadletter();
    KafkaClients clients = new KafkaClients(bootstrapServers, Map.of());
    DeadLetter committed = deadLetter("COMMITTED");
    DeadLetter aborted = deadLetter("ABORTED");

    try (KafkaProducer<String, DeadLetter> producer =
        new KafkaProducer<>(
            clients.producer("round-trip", "round-trip-" + topics.prefix(), 1 << 20),
            topic.keySerde().serializer(),
            topic.valueSerde().serializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic.name(), "study-aborted", aborted));
      producer.flush();
      producer.abortTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic.name(), "study-1", committed));
      producer.commitTransaction();
    }

    try (TopicReader<String, DeadLetter> reader = new TopicReader<>(bootstrapServers, topic)) {
      var records = reader.readToEnd(Duration.ofSeconds(30));
      assertThat(records).extracting(ConsumerRecord::key).containsExactly("study-1");
      assertThat(records.get(0).value()).isEqualTo(committed);
    }
  }

  private static DeadLetter deadLetter(String code) {
    return DeadLetter.newBuilder()
        .setReasonCode(code)
        .setStage("test")
        .setMessage("round trip " + code)
        .setField("DimSize")
        .setLimit("3 values")
        .setAt(Instant.parse("2026-11-22T00:00:00Z"))
        .build();
  }
}
