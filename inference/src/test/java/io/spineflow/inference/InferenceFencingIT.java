package io.spineflow.inference;

import static io.spineflow.inference.InferenceFixtures.MODEL;
import static io.spineflow.inference.InferenceFixtures.announce;
import static io.spineflow.inference.InferenceFixtures.sendSlices;
import static io.spineflow.inference.InferenceFixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spineflow.events.Mask;
import io.spineflow.model.ModelStore;
import io.spineflow.model.StoredModel;
import io.spineflow.platform.Health;
import io.spineflow.platform.KafkaClients;
import io.spineflow.platform.ServiceContext;
import io.spineflow.platform.ServiceLauncher;
import io.spineflow.platform.Settings;
import io.spineflow.schemas.Topics;
import io.spineflow.testkit.SharedKafka;
import io.spineflow.testkit.TestTopics;
import io.spineflow.testkit.TopicReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same {@code inference.instance.id} started twice (a restart while the old process still
 * runs): the newer instance fences the older, which stops cleanly in state FENCED with the reason
 * on /health — not FAILED through an escaped exception — while the newer one segments every slice
 * exactly once.
 */
class InferenceFencingIT {
  @TempDir Path dir;

  @Test
  void aSecondInstanceWithTheSameIdFencesTheFirstWhichStopsCleanly() throws Exception {
    String bootstrap = SharedKafka.bootstrapServers();
    Topics topics = TestTopics.create(bootstrap, 3);
    Path storeDir = dir.resolve("models");
    StoredModel v1 = TestModels.store(new ModelStore(storeDir), MODEL, 1);
    Settings settings = settings(dir, bootstrap, topics, storeDir);
    KafkaClients clients = new KafkaClients(bootstrap, Map.of());
    try (KafkaProducer<String, Object> producer =
            new KafkaProducer<>(
                clients.producer("it-fencing-producer", null, 4 << 20),
                new StringSerializer(),
                new InferenceFixtures.TestEventSerializer(topics));
        TopicReader<String, Mask> masks = new TopicReader<>(bootstrap, topics.masks());
        ServiceLauncher first = new ServiceLauncher();
        ServiceLauncher second = new ServiceLauncher()) {
      announce(producer, topics, v1);
      ServiceContext oldContext = ServiceContext.from("inference", settings);
      ServiceLauncher.prepareKafka(oldContext, InferenceService.ownedTopics(topics));
      InferenceService old = InferenceService.create(oldContext);
      first.launch(oldContext, old, 0, s -> Map.of());
      sendSlices(producer, topics, 0, 20);
      masks.awaitAtLeast(20, Duration.ofMinutes(2));

      InferenceService newer = InferenceService.create(ServiceContext.from("inference", settings));
      second.launch(ServiceContext.from("inference", settings), newer, 0, s -> Map.of());
      sendSlices(producer, topics, 20, 60);

      await()
          .atMost(Duration.ofMinutes(2))
          .untilAsserted(() -> assertThat(old.health().state()).isEqualTo("FENCED"));
      Health health = old.health();
      assertThat(health.up()).isFalse();
      assertThat(health.details().toString()).contains("fenced").contains("inference.instance.id");

      masks.awaitAtLeast(60, Duration.ofMinutes(2));
      assertThat(newer.health().state()).isEqualTo("RUNNING");
      Map<String, Long> perKey =
          masks.readToEnd(Duration.ofSeconds(30)).stream()
              .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
      assertThat(perKey).hasSize(60);
      assertThat(perKey.values()).allMatch(n -> n == 1L);
    }
  }
}
