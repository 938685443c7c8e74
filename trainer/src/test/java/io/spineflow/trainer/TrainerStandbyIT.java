package io.spineflow.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ai.djl.Device;
import io.spineflow.events.AnnouncementKind;
import io.spineflow.events.AuditAction;
import io.spineflow.events.AuditEvent;
import io.spineflow.events.AuditOutcome;
import io.spineflow.events.ModelAnnouncement;
import io.spineflow.events.RetrainOrigin;
import io.spineflow.events.RetrainRequest;
import io.spineflow.events.Slice;
import io.spineflow.events.TrainingPhase;
import io.spineflow.events.TrainingProgress;
import io.spineflow.model.ModelAnnouncements;
import io.spineflow.model.ModelStore;
import io.spineflow.model.SegmentationModel;
import io.spineflow.model.StoredModel;
import io.spineflow.model.training.StudySplit;
import io.spineflow.platform.AuditPublisher;
import io.spineflow.platform.KafkaClients;
import io.spineflow.platform.ServiceContext;
import io.spineflow.platform.Settings;
import io.spineflow.schemas.Topics;
import io.spineflow.testkit.SharedKafka;
import io.spineflow.testkit.TestTopics;
import io.spineflow.testkit.TopicReader;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standby trainer takes over from an active one that dies mid-run, and no promotion is made
 * twice. The active trainer runs in its own JVM; a second one, in this JVM, waits as a standby (the
 * {@code retrain} group gives its one partition to the first). A retrain request starts a run on
 * the active trainer, which is SIGKILLed while it trains. Its half-done promotion is stood in for
 * by what a trainer does between saving a candidate and committing: the candidate saved as v1 in
 * the shared model store, and a producer with the trainer's transactional id that has sent the
 * PROMOTED announcement and its audit record and never commits. The standby, assigned the partition
 * once the dead one's session expires, fences that transaction (aborted: never visible), reads the
 * request again, trains and promotes v2: on {@code models} and in {@code audit} exactly one
 * promotion, of v2; the zombie's commit then fails; the request is honoured once.
 */
class TrainerStandbyIT {
  private static final Duration WAIT = Duration.ofMinutes(4);
  private static final StudySplit SPLIT = new StudySplit(0.2);
  private static final String MODEL = "spine-unet";

  @TempDir Path dir;

  @Test
  void theStandbyTakesOverFromAKilledActiveTrainerAndPromotesOnce() throws Exception {
    String bootstrap = SharedKafka.bootstrapServers();
    Topics topics = TestTopics.create(bootstrap, 1);
    Path store = dir.resolve("models");
    Process active = startActive(bootstrap, topics, store);
    List<String> activeLines = output(active);
    try (KafkaProducer<String, Object> producer = TinyData.producer(bootstrap, topics);
        TopicReader<String, TrainingProgress> training =
            new TopicReader<>(bootstrap, topics.training());
        TopicReader<String, ModelAnnouncement> models =
            new TopicReader<>(bootstrap, topics.models());
        TopicReader<String, AuditEvent> audit = new TopicReader<>(bootstrap, topics.audit())) {
      await()
          .atMost(WAIT)
          .failFast("the active trainer exited: " + activeLines, () -> !active.isAlive())
          .until(() -> activeLines.contains("STATE WAITING_FOR_DATA"));

      TrainerService standby =
          new TrainerService(
              ServiceContext.from(TrainerService.NAME, settings(bootstrap, topics, store, "b")),
              TrainerConfig.from(settings(bootstrap, topics, store, "b")));
      try {
        standby.start();
        await()
            .during(Duration.ofSeconds(2))
            .atMost(Duration.ofSeconds(30))
            .until(() -> standby.state().equals("STANDBY"));
        assertThat(standby.health().up()).isTrue();
        assertThat(standby.health().details()).containsEntry("role", "standby");

        sendStudiesAndRequest(producer, topics);
        await()
            .atMost(WAIT)
            .failFast("the active trainer exited: " + activeLines, () -> !active.isAlive())
            .until(() -> activeLines.contains("STATE TRAINING"));
        assertThat(standby.state()).isEqualTo("STANDBY");
        active.destroyForcibly(); // SIGKILL: no clean shutdown, no leaving the group
        active.waitFor();

        // What the dead trainer would leave if killed between saving and committing.
        KafkaProducer<String, Object> zombie = halfDonePromotion(bootstrap, topics, store);
        assertThat(standby.state())
            .as("the standby must not have taken over before the half-done promotion exists")
            .isEqualTo("STANDBY");

        await()
            .atMost(WAIT)
            .until(() -> !phase(training.records(), TrainingPhase.PROMOTED).isEmpty());
        List<TrainingProgress> promoted = phase(training.records(), TrainingPhase.PROMOTED);
        assertThat(promoted).hasSize(1);
        assertThat(promoted.get(0).getCandidateVersion()).isEqualTo(2);
        assertThat(promoted.get(0).getMessage())
            .contains("honoured retrain requests [req-standby]");
        // The killed run's STARTED may have died in its producer's buffer with it; the standby's
        // run started after the takeover.
        List<TrainingProgress> started = phase(training.records(), TrainingPhase.STARTED);
        assertThat(started).isNotEmpty().hasSizeLessThanOrEqualTo(2);
        assertThat(started.get(started.size() - 1).getRunId())
            .isEqualTo(promoted.get(0).getRunId());
        assertThat(standby.health().details()).containsEntry("role", "active");
        assertThatThrownBy(zombie::commitTransaction).isInstanceOf(KafkaException.class);
        zombie.close(Duration.ZERO);

        // Exactly one promotion per version, on models and in audit; the zombie's never.
        List<ModelAnnouncement> announced =
            models.readToEnd(WAIT).stream().map(ConsumerRecord::value).toList();
        assertThat(announced).extracting(ModelAnnouncement::getVersion).containsExactly(2);
        // The floor the standby's promotion set travels with it: whichever trainer is active
        // next reads it from the topic, not from a shared disk.
        QualityFloor floor = QualityFloor.of(announced.get(0)).orElseThrow();
        assertThat(floor.setByVersion()).isEqualTo(2);
        assertThat(floor.referenceStudies()).isNotEmpty();
        assertThat(announced.get(0).getHighestVersion()).isEqualTo(2);
        List<AuditEvent> promotions =
            audit.readToEnd(WAIT).stream()
                .map(ConsumerRecord::value)
                .filter(e -> e.getAction() == AuditAction.PROMOTION)
                .toList();
        assertThat(promotions).hasSize(1);
        assertThat(promotions.get(0).getDetails()).containsEntry("version", "2");
        assertThat(new ModelStore(store).versions(MODEL))
            .as("v1, the dead trainer's candidate, stays unannounced in the store")
            .containsExactly(1, 2);
        // Nothing more: the request is honoured, no further run starts.
        int runs = started.size();
        await()
            .during(Duration.ofSeconds(3))
            .atMost(Duration.ofSeconds(10))
            .until(() -> phase(training.records(), TrainingPhase.STARTED).size() == runs);
      } finally {
        standby.close();
      }
    } finally {
      active.destroyForcibly();
    }
  }

  private Map<String, String> settingsMap(
      String bootstrap, Topics topics, Path store, String name) {
    Map<String, String> values = TinyData.settings(bootstrap, topics, dir.resolve(name));
    values.put("model.store", store.toString());
    values.put("startup.timeout", "60s");
    values.put("trainer.epochs", "15");
    values.put("trainer.patience", "15");
    values.put("trainer.min.studies", "4");
    values.put("trainer.trigger.new.studies", "0"); // only the retrain request triggers
    values.put("trainer.gate.first.min.dice", "0"); // about failover, not about quality
    values.put("trainer.failover.timeout", "6s"); // the broker's minimum session timeout
    return values;
  }

  private Settings settings(String bootstrap, Topics topics, Path store, String name) {
    return Settings.of(settingsMap(bootstrap, topics, store, name));
  }

  private Process startActive(String bootstrap, Topics topics, Path store) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Dai.djl.offline=true");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(TrainerProcess.class.getName());
    settingsMap(bootstrap, topics, store, "a").forEach((k, v) -> command.add(k + "=" + v));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  private static List<String> output(Process process) {
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  lines.add(line);
                }
              } catch (java.io.IOException e) {
                lines.add(e.toString());
              }
            });
    reader.setDaemon(true);
    reader.start();
    return lines;
  }

  private static void sendStudiesAndRequest(KafkaProducer<String, Object> producer, Topics topics) {
    List<String> uids = new ArrayList<>(TinyData.uids("standby", SPLIT, false, 3));
    uids.addAll(TinyData.uids("standby", SPLIT, true, 1));
    for (String uid : uids) {
      List<PhantomSlices.Example> examples = TinyData.examples(List.of(uid));
      for (Slice s : PhantomSlices.events(examples, true)) {
        producer.send(
            new ProducerRecord<>(
                topics.slices().name(), s.getStudyUid() + "/" + s.getSliceIndex(), s));
      }
      producer.send(
          new ProducerRecord<>(
              topics.slicesSummary().name(), uid, PhantomSlices.summary(uid, examples, true)));
    }
    producer.send(
        new ProducerRecord<>(
            topics.retrain().name(),
            MODEL,
            RetrainRequest.newBuilder()
                .setRequestId("req-standby")
                .setModelName(MODEL)
                .setRequestedBy("TrainerStandbyIT")
                .setOrigin(RetrainOrigin.CLI)
                .setReason("failover test")
                .setRequestedAt(Instant.now())
                .build()));
    producer.flush();
  }

  /**
   * A candidate saved as v1 in the shared store, and an open transaction of the trainer's
   * transactional id holding its announcement, its audit record and the PROMOTED progress.
   */
  private static KafkaProducer<String, Object> halfDonePromotion(
      String bootstrap, Topics topics, Path storeDir) throws Exception {
    ModelStore store = new ModelStore(storeDir);
    io.spineflow.events.ModelLineage lineage =
        ModelAnnouncements.lineage(List.of(), List.of(), Map.of(), null, 11);
    StoredModel stored;
    TinyData.startEngine();
    try (SegmentationModel candidate =
        SegmentationModel.untrained(TinyData.TINY, Device.cpu(), 11)) {
      stored =
          store.save(
              MODEL,
              1,
              candidate.djlModel(),
              TinyData.TINY,
              ModelAnnouncements.metadata(Map.of(), lineage, Map.of()));
    }
    ModelAnnouncement announcement =
        ModelAnnouncements.announcement(
            stored, Map.of(), lineage, AnnouncementKind.PROMOTED, Instant.now());
    KafkaClients clients = new KafkaClients(bootstrap, Map.of());
    KafkaProducer<String, Object> zombie =
        new KafkaProducer<>(
            clients.producer(
                "trainer-zombie",
                "spineflow-trainer-" + topics.prefix() + MODEL,
                topics.models().settings().maxMessageBytes()),
            new StringSerializer(),
            EventSerdes.outcomes(topics));
    zombie.initTransactions();
    zombie.beginTransaction();
    zombie.send(new ProducerRecord<>(topics.models().name(), MODEL, announcement));
    zombie.send(
        new ProducerRecord<>(
            topics.audit().name(),
            MODEL,
            AuditPublisher.event(
                AuditAction.PROMOTION,
                AuditOutcome.ACCEPTED,
                TrainerService.NAME,
                null,
                TrainerService.NAME,
                MODEL,
                Map.of("version", "1", "runId", "zombie"),
                Instant.now())));
    zombie.flush();
    return zombie;
  }

  private static List<TrainingProgress> phase(
      List<ConsumerRecord<String, TrainingProgress>> records, TrainingPhase phase) {
    return records.stream().map(ConsumerRecord::value).filter(p -> p.getPhase() == phase).toList();
  }
}
