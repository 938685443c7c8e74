package io.spineflow.inference;

import static io.spineflow.inference.InferenceFixtures.MODEL;
import static io.spineflow.inference.InferenceFixtures.announce;
import static io.spineflow.inference.InferenceFixtures.sendSlices;
import static io.spineflow.inference.InferenceFixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.spineflow.events.Mask;
import io.spineflow.events.Quality;
import io.spineflow.model.ModelStore;
import io.spineflow.model.StoredModel;
import io.spineflow.platform.ConfigException;
import io.spineflow.platform.KafkaClients;
import io.spineflow.platform.ServiceContext;
import io.spineflow.platform.ServiceLauncher;
import io.spineflow.platform.Settings;
import io.spineflow.schemas.Topics;
import io.spineflow.testkit.SharedKafka;
import io.spineflow.testkit.TestTopics;
import io.spineflow.testkit.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two inference replicas with zero configuration: no {@code inference.instance.id}, no StatefulSet
 * host name, each its own data directory, so each makes and keeps its own id. The second joins
 * while the first serves, and the group rebalances cooperatively (only the partitions that move are
 * revoked, their held slices dropped and their transaction settled first); then it stops. Every
 * slice gets exactly one mask and one quality record, and a third instance on a data directory in
 * use is refused at start with one line.
 */
class InferenceRebalanceIT {
  @TempDir Path dir;

  private static Settings replica(Settings base, Path dataDir) {
    return base.with("inference.instance.id", "").with("data.dir", dataDir.toString());
  }

  @Test
  void aReplicaJoiningAndLeavingMidStreamLosesAndDuplicatesNothing() throws Exception {
    String bootstrap = SharedKafka.bootstrapServers();
    Topics topics = TestTopics.create(bootstrap, 3);
    Path storeDir = dir.resolve("models");
    StoredModel v1 = TestModels.store(new ModelStore(storeDir), MODEL, 1);
    Settings base = settings(dir, bootstrap, topics, storeDir);
    KafkaClients clients = new KafkaClients(bootstrap, Map.of());
    try (KafkaProducer<String, Object> producer =
            new KafkaProducer<>(
                clients.producer("it-rebalance-producer", null, 4 << 20),
                new StringSerializer(),
                new InferenceFixtures.TestEventSerializer(topics));
        TopicReader<String, Mask> masks = new TopicReader<>(bootstrap, topics.masks());
        TopicReader<String, Quality> quality = new TopicReader<>(bootstrap, topics.quality());
        Admin admin = Admin.create(clients.admin());
        ServiceLauncher first = new ServiceLauncher()) {
      announce(producer, topics, v1);
      ServiceContext contextA = ServiceContext.from("inference", replica(base, dir.resolve("a")));
      ServiceLauncher.prepareKafka(contextA, InferenceService.ownedTopics(topics));
      InferenceService a = InferenceService.create(contextA, null);
      first.launch(contextA, a, 0, s -> Map.of());
      sendSlices(producer, topics, 0, 40);
      masks.awaitAtLeast(20, Duration.ofMinutes(2));

      ServiceContext contextB = ServiceContext.from("inference", replica(base, dir.resolve("b")));
      InferenceService b = InferenceService.create(contextB, null);
      try (ServiceLauncher second = new ServiceLauncher()) {
        second.launch(contextB, b, 0, s -> Map.of());
        // B subscribes once its model is loaded; then A hands it a partition it was serving.
        String clientB = "inference-" + b.instanceId();
        await().atMost(Duration.ofMinutes(2)).until(() -> assignedTo(admin, clientB, topics) > 0);
        sendSlices(producer, topics, 40, 160);
        // Both work: B segments slices of the partitions it took over.
        await()
            .atMost(Duration.ofMinutes(2))
            .until(() -> slicesDone(contextB) > 0 && masks.records().size() >= 160);
        ConsumerGroupDescription group =
            admin
                .describeConsumerGroups(List.of(InferenceService.groupId(topics)))
                .all()
                .get()
                .get(InferenceService.groupId(topics));
        assertThat(group.partitionAssignor()).isEqualTo("cooperative-sticky");

        // Each made its own id in its data directory; a third on A's directory is refused.
        String idA = (String) a.health().details().get("instanceId");
        String idB = (String) b.health().details().get("instanceId");
        assertThat(a.health().details()).containsEntry("instanceIdFrom", "DATA_DIR");
        assertThat(idA)
            .isEqualTo(
                Files.readString(dir.resolve("a/inference/instance.id"), StandardCharsets.UTF_8)
                    .trim())
            .isNotEqualTo(idB);
        InferenceService third =
            InferenceService.create(
                ServiceContext.from("inference", replica(base, dir.resolve("a"))), null);
        assertThatThrownBy(third::start)
            .isInstanceOf(ConfigException.class)
            .hasMessageStartingWith("data.dir: " + dir.resolve("a/inference") + " is in use");
        assertThat(a.health().state()).isEqualTo("RUNNING");
        assertThat(b.heldSlicesMax()).isLessThanOrEqualTo(b.heldBound());
      }
      // B stopped (a static member: its partitions come back to A after its session timeout).
      sendSlices(producer, topics, 160, 200);
      masks.awaitAtLeast(200, Duration.ofMinutes(2));
      quality.awaitAtLeast(200, Duration.ofMinutes(1));
      assertThat(a.heldSlicesMax()).isLessThanOrEqualTo(a.heldBound());
      assertThat(a.health().state()).isEqualTo("RUNNING");

      assertExactlyOnce(masks.readToEnd(Duration.ofSeconds(30)), 200);
      assertExactlyOnce(quality.readToEnd(Duration.ofSeconds(30)), 200);
    }
  }

  /** Partitions of {@code topic} the group member with {@code clientId} is assigned now. */
  private static long assignedTo(Admin admin, String clientId, Topics topics) throws Exception {
    String group = InferenceService.groupId(topics);
    String topic = topics.slices().name();
    return admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().stream()
        .filter(m -> m.clientId().equals(clientId))
        .flatMap(m -> m.assignment().topicPartitions().stream())
        .filter(tp -> tp.topic().equals(topic))
        .count();
  }

  private static double slicesDone(ServiceContext context) {
    return context.metrics().get("spineflow_inference_slices").counter().count();
  }

  private static <V> void assertExactlyOnce(List<ConsumerRecord<String, V>> records, int n) {
    Map<String, Long> perKey =
        records.stream().collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
    assertThat(perKey).hasSize(n);
    assertThat(perKey.values()).allMatch(count -> count == 1L);
  }
}
