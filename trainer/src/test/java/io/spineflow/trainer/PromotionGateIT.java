package io.spineflow.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.djl.Device;
import io.spineflow.events.ModelAnnouncement;
import io.spineflow.events.RetrainOrigin;
import io.spineflow.events.RetrainRequest;
import io.spineflow.events.Slice;
import io.spineflow.events.TrainingPhase;
import io.spineflow.events.TrainingProgress;
import io.spineflow.model.ModelAnnouncements;
import io.spineflow.model.ModelStore;
import io.spineflow.model.SegmentationModel;
import io.spineflow.model.training.StudySplit;
import io.spineflow.platform.KafkaClients;
import io.spineflow.platform.ServiceContext;
import io.spineflow.platform.Settings;
import io.spineflow.schemas.Topics;
import io.spineflow.testkit.SharedKafka;
import io.spineflow.testkit.TestTopics;
import io.spineflow.testkit.TopicReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promotion gate with a real broker and real tiny models: the live model's weights vanish (a
 * model store not mounted yet), so every run fails, names why and is retried after {@code
 * trainer.gate.retry.delay}, and nothing is promoted (before, such a candidate was judged as a
 * first model and replaced the live one). Once the weights are back, the next retry compares the
 * candidate with the live model, promotes it, honours the retrain request exactly then, and sets
 * the quality floor on the run's validation studies, in the promotion's announcement. A rollback
 * carries that floor forward, and a run with an empty model store finds it on the topic alone.
 */
class PromotionGateIT {
  private static final Duration WAIT = Duration.ofMinutes(4);
  private static final StudySplit SPLIT = new StudySplit(0.2);
  private static final String MODEL = "spine-unet";

  @TempDir Path dataDir;

  @Test
  void anUnloadableLiveModelFailsTheRunWhichIsRetriedAndPromotesNothing() throws Exception {
    String bootstrap = SharedKafka.bootstrapServers();
    Topics topics = TestTopics.create(bootstrap, 1);
    List<String> trainUids = TinyData.uids("gate", SPLIT, false, 3);
    List<String> validationUids = TinyData.uids("gate", SPLIT, true, 1);
    List<String> uids = new ArrayList<>(trainUids);
    uids.addAll(validationUids);
    Map<String, String> values = TinyData.settings(bootstrap, topics, dataDir);
    values.put("startup.timeout", "60s");
    values.put("trainer.epochs", "4");
    values.put("trainer.patience", "4");
    values.put("trainer.min.studies", "4");
    values.put("trainer.trigger.new.studies", "0"); // only the retrain request triggers
    values.put("trainer.gate.first.min.dice", "0.2");
    // An untrained live model scores near 0 on some class; a wide class margin keeps the outcome
    // of the recovered run a promotion on the mean (what this test is about is that it is compared
    // with the live model at all).
    values.put("trainer.gate.class.margin", "0.5");
    values.put("trainer.gate.retry.delay", "2s");
    Settings settings = Settings.of(values);

    // The live model v1: a real tiny model (untrained, so any trained candidate beats it).
    ModelStore store = new ModelStore(dataDir.resolve("models"));
    TinyData.startEngine();
    try (SegmentationModel untrained =
        SegmentationModel.untrained(TinyData.TINY, Device.cpu(), 7)) {
      store.save(
          MODEL,
          1,
          untrained.djlModel(),
          TinyData.TINY,
          ModelAnnouncements.metadata(
              Map.of(),
              ModelAnnouncements.lineage(List.of(), List.of(), Map.of(), null, 7),
              Map.of()));
    }
    ModelAnnouncement v2 = null;
    ModelAnnouncement v1 =
        ModelAnnouncer.rollback(new KafkaClients(bootstrap, Map.of()), topics, store, MODEL, 1);
    Path weights = store.directory(MODEL, 1).resolve(ModelStore.WEIGHTS_FILE);
    Path away = dataDir.resolve("weights-unmounted");
    Files.move(weights, away);

    try (KafkaProducer<String, Object> producer = TinyData.producer(bootstrap, topics);
        TopicReader<String, TrainingProgress> training =
            new TopicReader<>(bootstrap, topics.training());
        TopicReader<String, ModelAnnouncement> models =
            new TopicReader<>(bootstrap, topics.models())) {
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
                  .setRequestId("req-gate")
                  .setModelName(MODEL)
                  .setRequestedBy("gate-it")
                  .setOrigin(RetrainOrigin.CLI)
                  .setReason("test")
                  .setRequestedAt(Instant.now())
                  .build()));
      producer.flush();

      TrainerService trainer =
          new TrainerService(
              ServiceContext.from(TrainerService.NAME, settings), TrainerConfig.from(settings));
      try {
        trainer.start();
        // Two failed runs at least: the first, and its retry after the delay.
        await()
            .atMost(WAIT)
            .pollInterval(Duration.ofMillis(100))
            .until(() -> phase(training.records(), TrainingPhase.FAILED).size() >= 2);
        List<TrainingProgress> failed = phase(training.records(), TrainingPhase.FAILED);
        assertThat(failed)
            .allSatisfy(
                p ->
                    assertThat(p.getMessage())
                        .contains("the live model v1 could not be loaded")
                        .contains("retried in PT2S")
                        .doesNotContain("honoured"));
        assertThat(phase(training.records(), TrainingPhase.PROMOTED)).isEmpty();
        assertThat(phase(training.records(), TrainingPhase.REJECTED)).isEmpty();
        assertThat(models.readToEnd(Duration.ofSeconds(10)))
            .extracting(ConsumerRecord::value)
            .containsExactly(v1);
        assertThat(store.versions(MODEL)).containsExactly(1);
        assertThat(QualityFloor.read(QualityFloor.file(store.root(), MODEL))).isEmpty();
        assertThat(trainer.health().up()).isTrue();

        // The store is mounted again: the next retry loads the live model, compares the
        // candidate with it and promotes it; the request is honoured by that run.
        Files.move(away, weights);
        await()
            .atMost(WAIT)
            .pollInterval(Duration.ofMillis(100))
            .until(() -> !phase(training.records(), TrainingPhase.PROMOTED).isEmpty());
        TrainingProgress promoted = phase(training.records(), TrainingPhase.PROMOTED).get(0);
        assertThat(promoted.getCandidateVersion()).isEqualTo(2);
        assertThat(promoted.getMessage())
            .contains("vs live")
            .doesNotContain("first model")
            .contains("honoured retrain requests [req-gate]");
        assertThat(promoted.getValidationDice()).containsKey("live.dice.mean");
        assertThat(models.awaitAtLeast(2, WAIT).get(1).value().getVersion()).isEqualTo(2);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> QualityFloor.read(QualityFloor.file(store.root(), MODEL)).isPresent());
        Optional<QualityFloor> floor = QualityFloor.read(QualityFloor.file(store.root(), MODEL));
        assertThat(floor.get().setByVersion()).isEqualTo(2);
        assertThat(floor.get().referenceStudies()).containsExactlyElementsOf(validationUids);
        assertThat(floor.get().meanDice()).isEqualTo(promoted.getValidationDice().get("dice.mean"));
        // The floor travelled with the promotion, in its transaction: v2's announcement carries
        // the same floor (the file is the legacy copy the file backend still writes).
        v2 = models.awaitAtLeast(2, WAIT).get(1).value();
        assertThat(QualityFloor.of(v2)).isEqualTo(floor);
      } finally {
        trainer.close();
      }

      // A rollback carries the floor forward (it never falls): read from the live announcement.
      KafkaClients kafka = new KafkaClients(bootstrap, Map.of());
      ModelAnnouncement back = ModelAnnouncer.rollback(kafka, topics, store, MODEL, 1);
      assertThat(back.getVersion()).isEqualTo(1);
      assertThat(back.getQualityFloor()).isNotNull().isEqualTo(v2.getQualityFloor());
      assertThat(v2.getHighestVersion()).isEqualTo(2);
      assertThat(back.getHighestVersion()).as("v2 was announced before").isEqualTo(2);
      assertThat(models.awaitAtLeast(3, WAIT).get(2).value()).isEqualTo(back);

      // Another trainer with an empty model store (another host, a pod's fresh emptyDir: no floor
      // file anywhere, no version on disk) finds the floor on the compacted topic and gates its
      // candidate by it.
      Path emptyRoot = dataDir.resolve("empty-store");
      Optional<ModelAnnouncement> live = ModelAnnouncer.live(kafka, topics, MODEL);
      assertThat(live).contains(back);
      CandidateRun.Outcome outcome =
          runWithEmptyStore(values, topics.slices().name(), live, emptyRoot);
      assertThat(outcome.result()).as(outcome.message()).isEqualTo(CandidateRun.Result.PROMOTED);
      assertThat(outcome.message()).contains("vs quality floor").contains("(set by v2, raised by");
      QualityFloor carried = outcome.floor().orElseThrow();
      assertThat(carried.setByVersion()).isEqualTo(2);
      assertThat(carried.referenceStudies()).containsExactlyElementsOf(validationUids);
      assertThat(carried.meanDice()).isGreaterThanOrEqualTo(QualityFloor.of(v2).get().meanDice());
      assertThat(outcome.announcement().orElseThrow().getQualityFloor())
          .isEqualTo(carried.toEvent());
      // Numbered past v2, which its empty store does not hold: the announcement says it existed.
      assertThat(outcome.announcement().orElseThrow().getVersion()).isEqualTo(3);
      assertThat(outcome.announcement().orElseThrow().getHighestVersion()).isEqualTo(3);
      assertThat(QualityFloor.file(emptyRoot, MODEL)).doesNotExist();
    }
  }

  /**
   * One candidate run of a trainer whose model store is {@code emptyRoot}, on the slices the
   * trainer above cached, with margins wide enough that the floor and the live model let it pass:
   * what this shows is which floor it was judged by.
   */
  private CandidateRun.Outcome runWithEmptyStore(
      Map<String, String> values,
      String slicesTopic,
      Optional<ModelAnnouncement> live,
      Path emptyRoot)
      throws Exception {
    Map<String, String> wide = new java.util.HashMap<>(values);
    wide.put("model.store", emptyRoot.toString());
    wide.put("trainer.gate.mean.margin", "1");
    wide.put("trainer.gate.class.margin", "1");
    TrainerConfig config = TrainerConfig.from(Settings.of(wide));
    SliceCache.Snapshot snapshot =
        SliceCache.open(dataDir.resolve(TrainerService.NAME).resolve("cache"))
            .snapshot(
                config.split(),
                config.training().architecture().inputWidth(),
                config.training().architecture().inputHeight(),
                slicesTopic);
    assertThat(snapshot.validation().studyUids()).isNotEmpty();
    return new CandidateRun(
            "floor-from-announcement",
            config,
            snapshot,
            live,
            new ModelStore(config.modelStore()),
            dataDir.resolve("floor-checkpoints"),
            io.spineflow.model.training.ProgressListener.NONE,
            java.time.Clock.systemUTC())
        .call();
  }

  private static List<TrainingProgress> phase(
      List<ConsumerRecord<String, TrainingProgress>> records, TrainingPhase phase) {
    return records.stream().map(ConsumerRecord::value).filter(p -> p.getPhase() == phase).toList();
  }
}
