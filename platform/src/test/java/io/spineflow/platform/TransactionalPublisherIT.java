package io.spineflow.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.broker.EmbeddedKafkaBroker;
import io.spineflow.platform.TransactionalPublisher.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fencing on a real broker: a second producer with the same transactional id (a restarted instance)
 * fences the first, whose publisher then answers FENCED — no exception escapes, no recreation that
 * would fence the newer one back — and only committed transactions are visible.
 */
class TransactionalPublisherIT {
  private static final String TOPIC = "out";
  private static final String TXN = "publisher-it";
  private static final ConsumerGroupMetadata GROUP = AssignedGroup.metadata("publisher-it");
  private static final TopicPartition IN = new TopicPartition("in", 0);
  private static EmbeddedKafkaBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = EmbeddedKafkaBroker.startTemporary();
    try (Admin admin = Admin.create(clients().admin())) {
      admin
          .createTopics(
              List.of(new NewTopic(TOPIC, 1, (short) 1), new NewTopic("in", 1, (short) 1)))
          .all()
          .get();
    }
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  private static KafkaClients clients() {
    return new KafkaClients(broker.bootstrapServers(), Map.of());
  }

  private static Producer<String, String> producer() {
    return new KafkaProducer<>(
        clients().producer("publisher-it", TXN, 1 << 20),
        new StringSerializer(),
        new StringSerializer());
  }

  @Test
  void aSecondInstanceFencesTheFirstWhichStopsCleanly() throws Exception {
    AtomicInteger made = new AtomicInteger();
    try (TransactionalPublisher<String, String> first =
        new TransactionalPublisher<>(
            "first",
            () -> {
              made.incrementAndGet();
              return producer();
            },
            Duration.ofSeconds(30))) {
      assertThat(publish(first, "a", 1)).isEqualTo(Outcome.COMMITTED);

      try (TransactionalPublisher<String, String> second =
          new TransactionalPublisher<>(
              "second", TransactionalPublisherIT::producer, Duration.ofSeconds(30))) {
        second.init(); // the restarted instance: a new epoch for the same transactional id
        assertThat(publish(first, "b", 2)).isEqualTo(Outcome.FENCED);
        assertThat(first.fenced()).isTrue();
        assertThat(first.fencedReason()).contains("ProducerFenced");
        assertThat(publish(first, "c", 3)).as("fenced for ever").isEqualTo(Outcome.FENCED);
        assertThat(made.get()).as("never recreated: that would fence the second").isEqualTo(1);

        assertThat(publish(second, "d", 4)).isEqualTo(Outcome.COMMITTED);
        assertThat(second.fenced()).isFalse();
      }
    }
    assertThat(committedValues()).containsExactly("a", "d");
    try (Admin admin = Admin.create(clients().admin())) {
      OffsetAndMetadata committed =
          admin
              .listConsumerGroupOffsets(GROUP.groupId())
              .partitionsToOffsetAndMetadata()
              .get()
              .get(IN);
      assertThat(committed.offset()).as("the second's offsets, not the fenced one's").isEqualTo(4);
    }
  }

  private static Outcome publish(
      TransactionalPublisher<String, String> p, String value, long offset) {
    return p.publish(
        List.of(new ProducerRecord<>(TOPIC, value, value)),
        Map.of(IN, new OffsetAndMetadata(offset)),
        GROUP);
  }

  private static List<String> committedValues() {
    Map<String, Object> props = clients().consumer("publisher-it-reader", "reader");
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      TopicPartition tp = new TopicPartition(TOPIC, 0);
      consumer.assign(Set.of(tp));
      consumer.seekToBeginning(Set.of(tp));
      long end = consumer.endOffsets(Set.of(tp)).get(tp);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (consumer.position(tp) < end && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
      }
    }
    return values;
  }
}
