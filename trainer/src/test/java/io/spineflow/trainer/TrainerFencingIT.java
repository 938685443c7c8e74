package io.spineflow.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spineflow.events.RetrainOrigin;
import io.spineflow.events.RetrainRequest;
import io.spineflow.platform.Health;
import io.spineflow.platform.KafkaClients;
import io.spineflow.platform.ServiceContext;
import io.spineflow.platform.Settings;
import io.spineflow.schemas.Topics;
import io.spineflow.testkit.ConsumerLag;
import io.spineflow.testkit.SharedKafka;
import io.spineflow.testkit.TestTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two trainers for the same model: the first is active (the {@code retrain} group gives it the one
 * partition), the second waits as a standby and does not fence it. A zombie with the trainer's
 * transactional id (a process that lost the partition but still holds a producer) initialises its
 * transactions: the active trainer stops in state FENCED with the reason on /health the next time
 * it publishes — not FAILED through an escaped exception — and leaves the group, and the standby
 * takes over, fences the zombie in turn and commits the {@code retrain} group to lag 0 (past a
 * request for another model and its transaction marker).
 */
class TrainerFencingIT {
  @TempDir Path dir;

  @Test
  void aFencedActiveTrainerStopsCleanlyAndTheStandbyTakesOver() throws Exception {
    String bootstrap = SharedKafka.bootstrapServers();
    Topics topics = TestTopics.create(bootstrap, 1);
    TrainerService first = trainer(bootstrap, topics, dir.resolve("first"));
    TrainerService second = trainer(bootstrap, topics, dir.resolve("second"));
    try (ConsumerLag lag = new ConsumerLag(bootstrap)) {
      first.start();
      await()
          .atMost(Duration.ofMinutes(1))
          .until(() -> !List.of("STARTING", "STANDBY").contains(first.state()));
      second.start();
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofMinutes(1))
          .until(() -> second.state().equals("STANDBY"));
      assertThat(first.health().up()).isTrue();

      fenceWithAZombie(bootstrap, topics); // the first is fenced from now on
      sendRequestForAnotherModel(bootstrap, topics);

      await()
          .atMost(Duration.ofMinutes(1))
          .untilAsserted(() -> assertThat(first.health().state()).isEqualTo("FENCED"));
      Health fenced = first.health();
      assertThat(fenced.up()).isFalse();
      assertThat(fenced.details().toString()).contains("fenced").contains("took over");
      await()
          .atMost(Duration.ofMinutes(1))
          .untilAsserted(
              () -> assertThat(second.health().details()).containsEntry("role", "active"));
      assertThat(second.health().up()).as(second.health().toString()).isTrue();
      lag.awaitZero(
          "spineflow-trainer-" + topics.prefix() + "spine-unet",
          topics.prefix(),
          1,
          Duration.ofMinutes(1));
    } finally {
      second.close();
      first.close();
    }
  }

  private static void fenceWithAZombie(String bootstrap, Topics topics) {
    KafkaClients clients = new KafkaClients(bootstrap, Map.of());
    try (KafkaProducer<String, RetrainRequest> zombie =
        new KafkaProducer<>(
            clients.producer(
                "fencing-it-zombie",
                "spineflow-trainer-" + topics.prefix() + "spine-unet",
                1 << 20),
            topics.retrain().keySerde().serializer(),
            topics.retrain().valueSerde().serializer())) {
      zombie.initTransactions();
    }
  }

  private static TrainerService trainer(String bootstrap, Topics topics, Path dataDir) {
    Map<String, String> values = TinyData.settings(bootstrap, topics, dataDir);
    values.put("trainer.min.studies", "4");
    Settings settings = Settings.of(values);
    return new TrainerService(
        ServiceContext.from(TrainerService.NAME, settings), TrainerConfig.from(settings));
  }

  private static void sendRequestForAnotherModel(String bootstrap, Topics topics) {
    KafkaClients clients = new KafkaClients(bootstrap, Map.of());
    try (KafkaProducer<String, RetrainRequest> producer =
        new KafkaProducer<>(
            clients.producer("fencing-it", "fencing-it-" + topics.prefix(), 1 << 20),
            topics.retrain().keySerde().serializer(),
            topics.retrain().valueSerde().serializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(
          new ProducerRecord<>(
              topics.retrain().name(),
              "another-model",
              RetrainRequest.newBuilder()
                  .setRequestId("fencing-it")
                  .setModelName("another-model")
                  .setRequestedBy("TrainerFencingIT")
                  .setOrigin(RetrainOrigin.CLI)
                  .setReason("moves the trainers' positions, so both try to commit")
                  .setRequestedAt(Instant.now())
                  .build()));
      producer.commitTransaction();
    }
  }
}
