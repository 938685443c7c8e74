package io.spineflow.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.IntegerDeserializer;
import org.apache.kafka.common.serialization.IntegerSerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three KRaft nodes in this JVM: topics get 3 replicas and {@code min.insync.replicas} 2, and a
 * node killed mid-stream loses and duplicates nothing. An {@code acks=all} producer writes {@code
 * in} while a transactional relay (read_committed consumer, offsets committed in the producer's
 * transaction: the shape of every spineflow stage) copies it to {@code out}; the node leading most
 * of their partitions is killed half-way, the second half is written while it is down, and {@code
 * out} must hold every record exactly once, in order per key. The node then restarts and catches up
 * (every partition back to 3 in-sync replicas) without changing {@code out}.
 */
class EmbeddedKafkaClusterIT {
  private static final int RECORDS = 4_000;
  private static final int KEYS = 12;
  private static final Duration BOUND = Duration.ofMinutes(2);

  @TempDir Path dir;

  @Test
  void aNodeKilledMidStreamLosesAndDuplicatesNothing() throws Exception {
    try (EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(dir, 3, Map.of());
        Admin admin = Admin.create(adminProps(cluster))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic("in", Optional.of(3), Optional.empty()),
                  new NewTopic("out", Optional.of(3), Optional.empty())))
          .all()
          .get(30, TimeUnit.SECONDS);
      // Every node learns of the new topics from the metadata log, one after another.
      await().atMost(BOUND).untilAsserted(() -> assertReplicated(admin, 3, 3));
      assertThat(cluster.replicationFactor()).isEqualTo(3);
      assertThat(cluster.minInsyncReplicas()).isEqualTo(2);
      assertThat(minInsync(admin, "out")).isEqualTo("2");

      AtomicBoolean running = new AtomicBoolean(true);
      AtomicReference<Throwable> relayFailure = new AtomicReference<>();
      Thread relay = new Thread(() -> relay(cluster, running, relayFailure), "relay");
      relay.start();
      try (KafkaProducer<String, Integer> producer = producer(cluster)) {
        send(producer, 0, RECORDS / 2);
        await()
            .atMost(BOUND)
            .failFast("relay failed", () -> relayFailure.get() != null)
            .until(() -> readAll(cluster, "out").size() >= RECORDS / 4);

        int victim = cluster.busiestLeader(List.of("in", "out"));
        Set<TopicPartition> led = ledBy(admin, victim);
        cluster.kill(victim);
        assertThat(cluster.isRunning(victim)).isFalse();
        // Written while the node is down: partitions it led wait for a new leader.
        send(producer, RECORDS / 2, RECORDS);

        List<ConsumerRecord<String, Integer>> out = awaitAll(cluster, relayFailure);
        assertExactlyOnceInOrder(out);
        Map<TopicPartition, TopicPartitionInfo> after = partitions(admin);
        assertThat(led)
            .as("partitions node %d led have other leaders", victim)
            .allSatisfy(tp -> assertThat(after.get(tp).leader().id()).isNotEqualTo(victim));
        assertThat(after.values()).allSatisfy(p -> assertThat(p.isr()).hasSize(2));

        cluster.restart(victim);
        await().atMost(BOUND).untilAsserted(() -> assertReplicated(admin, 3, 3));
        assertExactlyOnceInOrder(readAll(cluster, "out"));
      } finally {
        running.set(false);
        relay.join(TimeUnit.MINUTES.toMillis(1));
      }
      assertThat(relayFailure.get()).isNull();
    }
  }

  private static Map<String, Object> adminProps(EmbeddedKafkaCluster cluster) {
    return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
  }

  private static KafkaProducer<String, Integer> producer(EmbeddedKafkaCluster cluster) {
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    return new KafkaProducer<>(p, new StringSerializer(), new IntegerSerializer());
  }

  /** Values {@code from} until {@code to}, keyed round-robin; returns once all are acknowledged. */
  private static void send(KafkaProducer<String, Integer> producer, int from, int to) {
    for (int i = from; i < to; i++) {
      producer.send(new ProducerRecord<>("in", "key-" + (i % KEYS), i));
    }
    producer.flush();
  }

  /**
   * Copies {@code in} to {@code out} one transaction per poll, the consumer's offsets committed in
   * it. A commit that times out (its coordinator gone) is retried, as Kafka allows; an abortable
   * error aborts and rewinds the consumer to the last committed offsets.
   */
  private static void relay(
      EmbeddedKafkaCluster cluster, AtomicBoolean running, AtomicReference<Throwable> failure) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "relay");
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "relay");
    // A commit blocks this long at most, then is retried (five times) or aborted.
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
    try (KafkaConsumer<String, Integer> consumer =
            new KafkaConsumer<>(c, new StringDeserializer(), new IntegerDeserializer());
        KafkaProducer<String, Integer> producer =
            new KafkaProducer<>(p, new StringSerializer(), new IntegerSerializer())) {
      producer.initTransactions();
      consumer.subscribe(List.of("in"));
      while (running.get()) {
        ConsumerRecords<String, Integer> records = consumer.poll(Duration.ofMillis(200));
        if (!records.isEmpty()) {
          relayOnce(consumer, producer, records);
        }
      }
    } catch (Throwable e) {
      failure.set(e);
    }
  }

  private static void relayOnce(
      KafkaConsumer<String, Integer> consumer,
      KafkaProducer<String, Integer> producer,
      ConsumerRecords<String, Integer> records) {
    Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
    producer.beginTransaction();
    try {
      for (ConsumerRecord<String, Integer> r : records) {
        producer.send(new ProducerRecord<>("out", r.key(), r.value()));
        next.put(
            new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
      }
      producer.sendOffsetsToTransaction(next, consumer.groupMetadata());
      commit(producer);
    } catch (RetriableException e) {
      abortAndRewind(consumer, producer);
    } catch (KafkaException e) {
      if (isFatal(e)) {
        throw e;
      }
      abortAndRewind(consumer, producer);
    }
  }

  private static void commit(KafkaProducer<String, Integer> producer) {
    for (int attempt = 1; ; attempt++) {
      try {
        producer.commitTransaction();
        return;
      } catch (TimeoutException e) {
        if (attempt == 5) {
          throw e;
        }
      }
    }
  }

  private static boolean isFatal(KafkaException e) {
    return e instanceof ProducerFencedException
        || e instanceof OutOfOrderSequenceException
        || e instanceof AuthorizationException;
  }

  private static void abortAndRewind(
      KafkaConsumer<String, Integer> consumer, KafkaProducer<String, Integer> producer) {
    producer.abortTransaction();
    Set<TopicPartition> assigned = consumer.assignment();
    Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned);
    for (TopicPartition tp : assigned) {
      OffsetAndMetadata at = committed.get(tp);
      if (at == null) {
        consumer.seekToBeginning(List.of(tp));
      } else {
        consumer.seek(tp, at.offset());
      }
    }
  }

  private static List<ConsumerRecord<String, Integer>> awaitAll(
      EmbeddedKafkaCluster cluster, AtomicReference<Throwable> relayFailure) {
    List<List<ConsumerRecord<String, Integer>>> last = new ArrayList<>(List.of(List.of()));
    await()
        .atMost(BOUND)
        .pollInterval(Duration.ofMillis(500))
        .failFast("relay failed", () -> relayFailure.get() != null)
        .until(
            () -> {
              last.set(0, readAll(cluster, "out"));
              return last.get(0).size() >= RECORDS;
            });
    return last.get(0);
  }

  /** Every value once, and each key's values in the order they were written. */
  private static void assertExactlyOnceInOrder(List<ConsumerRecord<String, Integer>> out) {
    Map<Integer, Long> counts =
        out.stream()
            .collect(
                Collectors.groupingBy(ConsumerRecord::value, TreeMap::new, Collectors.counting()));
    assertThat(counts).as("each value once").hasSize(RECORDS);
    assertThat(counts.values()).allSatisfy(n -> assertThat(n).isEqualTo(1));
    Map<String, List<Integer>> byKey =
        out.stream()
            .collect(
                Collectors.groupingBy(
                    ConsumerRecord::key,
                    Collectors.mapping(ConsumerRecord::value, Collectors.toList())));
    assertThat(byKey.values()).allSatisfy(values -> assertThat(values).isSorted());
  }

  /** {@code topic} from its beginning to its end offsets now, read_committed. */
  private static List<ConsumerRecord<String, Integer>> readAll(
      EmbeddedKafkaCluster cluster, String topic) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (KafkaConsumer<String, Integer> consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new IntegerDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      List<ConsumerRecord<String, Integer>> records = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))
          && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      return records;
    }
  }

  private static Map<TopicPartition, TopicPartitionInfo> partitions(Admin admin) throws Exception {
    Map<String, TopicDescription> topics =
        admin.describeTopics(List.of("in", "out")).allTopicNames().get(30, TimeUnit.SECONDS);
    Map<TopicPartition, TopicPartitionInfo> out = new HashMap<>();
    topics.forEach(
        (name, d) ->
            d.partitions().forEach(p -> out.put(new TopicPartition(name, p.partition()), p)));
    return out;
  }

  private static void assertReplicated(Admin admin, int replicas, int inSync) throws Exception {
    Collection<TopicPartitionInfo> all = partitions(admin).values();
    assertThat(all).hasSize(6);
    assertThat(all)
        .allSatisfy(
            p -> {
              assertThat(p.replicas()).hasSize(replicas);
              assertThat(p.isr()).hasSize(inSync);
            });
  }

  private static String minInsync(Admin admin, String topic) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    return admin
        .describeConfigs(List.of(resource))
        .all()
        .get(30, TimeUnit.SECONDS)
        .get(resource)
        .get("min.insync.replicas")
        .value();
  }

  private static Set<TopicPartition> ledBy(Admin admin, int node) throws Exception {
    return partitions(admin).entrySet().stream()
        .filter(e -> e.getValue().leader().id() == node)
        .map(Map.Entry::getKey)
        .collect(Collectors.toSet());
  }
}
