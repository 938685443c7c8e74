package io.spineflow.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.djl.Device;
import io.spineflow.events.AnnouncementKind;
import io.spineflow.events.ModelAnnouncement;
import io.spineflow.events.RetrainOrigin;
import io.spineflow.events.RetrainRequest;
import io.spineflow.events.Slice;
import io.spineflow.events.TrainingPhase;
import io.spineflow.events.TrainingProgress;
import io.spineflow.imaging.labels.LabelledStructure;
import io.spineflow.imaging.labels.SliceLabelScope;
import io.spineflow.model.ModelArchitectures;
import io.spineflow.model.ModelStore;
import io.spineflow.model.SegmentationModel;
import io.spineflow.model.UNetConfig;
import io.spineflow.model.training.StudySplit;
import io.spineflow.platform.KafkaClients;
import io.spineflow.platform.ServiceContext;
import io.spineflow.platform.Settings;
import io.spineflow.schemas.Topics;
import io.spineflow.testkit.SharedKafka;
import io.spineflow.testkit.TestTopics;
import io.spineflow.testkit.TopicReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@link TrainerService} against a real broker, with a tiny model: labelled phantom slices
 * and summaries go in, some studies labelled completely and some partially ({@code
 * Slice.labelScope}); a first model is trained on the mix, gated, stored and announced; a retrain
 * request sent (twice) while that training runs is honoured exactly once afterwards; then a
 * restarted trainer configured to train one step from scratch produces a worse candidate, which is
 * rejected and not announced.
 */
class TrainerIT {
  private static final Duration WAIT = Duration.ofMinutes(3);
  private static final StudySplit SPLIT = new StudySplit(0.2);

  @TempDir Path dataDir;

  @Test
  void trainsPromotesHonoursARetrainOnceAndRejectsAWorseCandidate() throws Exception {
    String bootstrap = SharedKafka.bootstrapServers();
    Topics topics = TestTopics.create(bootstrap, 2);
    List<String> trainUids = TinyData.uids("it", SPLIT, false, 5);
    List<String> validationUids = TinyData.uids("it", SPLIT, true, 2);
    // A mix of labels: two training studies are labelled partially (discs only, over a span of
    // rows; vertebral bodies and canal only), the others and the validation studies completely.
    Map<String, SliceLabelScope> partialLabels =
        Map.of(
            trainUids.get(0),
            new SliceLabelScope(EnumSet.of(LabelledStructure.DISCS), 12, 51),
            trainUids.get(1),
            new SliceLabelScope(
                EnumSet.of(LabelledStructure.VERTEBRAL_BODIES, LabelledStructure.CANAL),
                0,
                Integer.MAX_VALUE));
    List<String> uids = new ArrayList<>(trainUids);
    uids.addAll(validationUids);
    Map<String, String> values = TinyData.settings(bootstrap, topics, dataDir);
    values.put("topic.partitions", "2");
    values.put("startup.timeout", "60s");
    values.put("trainer.epochs", "20");
    values.put("trainer.patience", "20");
    values.put("trainer.min.studies", "4");
    values.put("trainer.trigger.new.studies", String.valueOf(uids.size()));
    values.put("trainer.gate.first.min.dice", "0.2");
    values.put("trainer.gate.mean.margin", "0.05");
    values.put("trainer.gate.class.margin", "0.1");
    Settings settings = Settings.of(values);
    UNetConfig tiny = TrainerConfig.from(settings).training().architecture();
    assertThat(tiny).isEqualTo(TinyData.TINY);

    try (KafkaProducer<String, Object> producer = TinyData.producer(bootstrap, topics);
        TopicReader<String, TrainingProgress> training =
            new TopicReader<>(bootstrap, topics.training());
        TopicReader<String, ModelAnnouncement> models =
            new TopicReader<>(bootstrap, topics.models())) {

      // Phase 1: the first model.
      ServiceContext context = ServiceContext.from(TrainerService.NAME, settings);
      TrainerService trainer = new TrainerService(context, TrainerConfig.from(settings));
      int sliceRecords = 0;
      ModelAnnouncement v1;
      try {
        trainer.start();
        // An unlabelled study first: its slices flow past the trainer without being kept.
        List<PhantomSlices.Example> unlabelled = TinyData.examples(List.of("it-unlabelled"));
        for (Slice s : PhantomSlices.events(unlabelled, false)) {
          producer.send(
              new ProducerRecord<>(
                  topics.slices().name(), s.getStudyUid() + "/" + s.getSliceIndex(), s));
          sliceRecords++;
        }
        producer.send(
            new ProducerRecord<>(
                topics.slicesSummary().name(),
                "it-unlabelled",
                PhantomSlices.summary("it-unlabelled", unlabelled, false)));
        // Then the labelled studies: once all are complete, the lineage's offsets cover every
        // record of slices.
        for (String uid : uids) {
          List<PhantomSlices.Example> examples = TinyData.examples(List.of(uid));
          SliceLabelScope partial = partialLabels.get(uid);
          if (partial != null) {
            examples = PhantomSlices.partial(examples, partial);
          }
          for (Slice s : PhantomSlices.events(examples, true)) {
            producer.send(
                new ProducerRecord<>(
                    topics.slices().name(), s.getStudyUid() + "/" + s.getSliceIndex(), s));
            sliceRecords++;
          }
          producer.send(
              new ProducerRecord<>(
                  topics.slicesSummary().name(), uid, PhantomSlices.summary(uid, examples, true)));
        }
        producer.flush();

        // The new-data trigger starts the first run; a retrain request arrives (twice, same id)
        // while it runs.
        List<TrainingProgress> started = awaitPhase(training, TrainingPhase.STARTED, 1);
        assertThat(started.get(0).getMessage())
            .contains(uids.size() + " new labelled studies")
            .contains("no live model");
        sendRetrain(producer, topics, "req-during-run");
        sendRetrain(producer, topics, "req-during-run");
        producer.flush();
        assertThat(terminal(training.records())).as("the first run is still going").isEmpty();
        assertThat(trainer.state()).isEqualTo("TRAINING");

        // The first model is promoted and announced...
        ConsumerRecord<String, ModelAnnouncement> first = models.awaitAtLeast(1, WAIT).get(0);
        assertThat(first.key()).isEqualTo("spine-unet");
        v1 = first.value();
        assertThat(v1.getVersion()).isEqualTo(1);
        assertThat(v1.getKind()).isEqualTo(AnnouncementKind.PROMOTED);
        assertThat(ModelArchitectures.fromEvent(v1.getArchitecture())).isEqualTo(tiny);
        assertThat(v1.getValidationMetrics())
            .containsKeys("dice.vertebrae", "dice.spinal_canal", "dice.discs", "dice.mean", "miou");
        assertThat(v1.getValidationMetrics().get("dice.mean")).isGreaterThanOrEqualTo(0.2);
        assertThat(v1.getLineage().getTrainingStudies())
            .containsExactlyInAnyOrderElementsOf(trainUids);
        assertThat(v1.getLineage().getValidationStudies())
            .containsExactlyInAnyOrderElementsOf(validationUids);
        assertThat(v1.getLineage().getSliceOffsets().keySet()).containsExactlyInAnyOrder("0", "1");
        assertThat(
                v1.getLineage().getSliceOffsets().values().stream()
                    .mapToLong(Long::longValue)
                    .sum())
            .isEqualTo(sliceRecords);
        assertThat(v1.getLineage().getParentVersion()).isNull();
        // ... stored where it says, with the weights it says.
        Path location = Path.of(URI.create(v1.getLocation()));
        assertThat(location)
            .isEqualTo(
                dataDir.resolve("models").resolve("spine-unet").resolve("v1").toAbsolutePath());
        byte[] weights = Files.readAllBytes(location.resolve(ModelStore.WEIGHTS_FILE));
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(weights)))
            .isEqualTo(v1.getSha256());
        try (SegmentationModel loaded =
            ModelStore.load(location, v1.getSha256(), tiny, Device.cpu())) {
          assertThat(loaded.config()).isEqualTo(tiny);
        }
        List<TrainingProgress> outcomes = awaitTerminal(training, 1);
        assertThat(outcomes.get(0).getPhase()).isEqualTo(TrainingPhase.PROMOTED);
        assertThat(outcomes.get(0).getCandidateVersion()).isEqualTo(1);
        assertThat(outcomes.get(0).getMessage())
            .contains("first model")
            .doesNotContain("req-during-run");
        assertThat(training.records().stream().map(r -> r.value().getPhase()))
            .contains(TrainingPhase.PROGRESS, TrainingPhase.EVALUATED);

        // The request that arrived during the first run is honoured by exactly one more run,
        // which fine-tunes the live model.
        List<TrainingProgress> after = awaitTerminal(training, 2);
        TrainingProgress second = after.get(1);
        assertThat(second.getMessage()).contains("honoured retrain requests [req-during-run]");
        List<TrainingProgress> starts = phase(training.records(), TrainingPhase.STARTED);
        assertThat(starts).hasSize(2);
        assertThat(starts.get(1).getMessage())
            .contains("retrain requests [req-during-run]")
            .contains("live model v1");
        await()
            .during(Duration.ofSeconds(3))
            .atMost(Duration.ofSeconds(10))
            .until(() -> phase(training.records(), TrainingPhase.STARTED).size() == 2);
        assertThat(trainer.state()).isEqualTo("IDLE");
        assertThat(trainer.health().up()).isTrue();
        assertThat(context.metrics().scrape())
            .contains("spineflow_trainer_validation_dice{class=\"discs\"")
            .contains("spineflow_trainer_runs_total{outcome=\"promoted\"");
      } finally {
        trainer.close();
      }
      int announced = models.readToEnd(WAIT).size();
      List<Integer> versions = new ModelStore(dataDir.resolve("models")).versions("spine-unet");
      assertThat(versions).hasSize(announced);

      // Phase 2: a restarted trainer that trains one step from scratch makes a worse candidate.
      values.put("trainer.max.steps", "1");
      values.put("trainer.fine.tune", "false");
      Settings oneStep = Settings.of(values);
      TrainerService restarted =
          new TrainerService(
              ServiceContext.from(TrainerService.NAME, oneStep), TrainerConfig.from(oneStep));
      try {
        restarted.start();
        sendRetrain(producer, topics, "req-after-restart");
        producer.flush();
        List<TrainingProgress> outcomes = awaitTerminal(training, 3);
        TrainingProgress rejected = outcomes.get(2);
        assertThat(rejected.getPhase()).isEqualTo(TrainingPhase.REJECTED);
        assertThat(rejected.getMessage())
            .contains("below the live model")
            .contains("honoured retrain requests [req-after-restart]")
            .doesNotContain("req-during-run");
        assertThat(rejected.getCandidateVersion()).isNull();
        assertThat(rejected.getValidationDice()).containsKeys("dice.mean", "live.dice.mean");
        assertThat(rejected.getValidationDice().get("dice.mean"))
            .isLessThan(rejected.getValidationDice().get("live.dice.mean"));
        assertThat(phase(training.records(), TrainingPhase.STARTED)).hasSize(3);
      } finally {
        restarted.close();
      }
      assertThat(models.readToEnd(WAIT)).hasSize(announced);
      assertThat(new ModelStore(dataDir.resolve("models")).versions("spine-unet"))
          .isEqualTo(versions);

      // Rollback, as the CLI does it: v1 is the live model again, announced with its own SHA-256,
      // metrics and lineage, kind ROLLBACK.
      ModelAnnouncement rollback =
          ModelAnnouncer.rollback(
              new KafkaClients(bootstrap, Map.of()),
              topics,
              new ModelStore(dataDir.resolve("models")),
              "spine-unet",
              1);
      List<ConsumerRecord<String, ModelAnnouncement>> all =
          models.awaitAtLeast(announced + 1, WAIT);
      ModelAnnouncement live = all.get(all.size() - 1).value();
      assertThat(live).isEqualTo(rollback);
      assertThat(live.getKind()).isEqualTo(AnnouncementKind.ROLLBACK);
      assertThat(live.getVersion()).isEqualTo(1);
      assertThat(live.getSha256()).isEqualTo(v1.getSha256());
      assertThat(live.getLocation()).isEqualTo(v1.getLocation());
      assertThat(live.getValidationMetrics()).isEqualTo(v1.getValidationMetrics());
      assertThat(live.getLineage()).isEqualTo(v1.getLineage());

      // Audited: one PROMOTION per promoted model (committed with its announcement), then the
      // ROLLBACK (committed with its own).
      try (TopicReader<String, io.spineflow.events.AuditEvent> audit =
          new TopicReader<>(bootstrap, topics.audit())) {
        List<io.spineflow.events.AuditEvent> records =
            audit.awaitAtLeast(announced + 1, WAIT).stream().map(ConsumerRecord::value).toList();
        assertThat(audit.readToEnd(WAIT)).hasSize(announced + 1);
        assertThat(records.subList(0, announced))
            .allSatisfy(
                r -> {
                  assertThat(r.getAction()).isEqualTo(io.spineflow.events.AuditAction.PROMOTION);
                  assertThat(r.getActor()).isEqualTo(TrainerService.NAME);
                  assertThat(r.getSubject()).isEqualTo("spine-unet");
                });
        assertThat(records.get(0).getDetails())
            .containsEntry("version", "1")
            .containsEntry("previousVersion", "none")
            .containsEntry("sha256", v1.getSha256());
        io.spineflow.events.AuditEvent rolledBack = records.get(announced);
        assertThat(rolledBack.getAction()).isEqualTo(io.spineflow.events.AuditAction.ROLLBACK);
        assertThat(rolledBack.getActor()).startsWith("os-user:");
        assertThat(rolledBack.getDetails()).containsEntry("version", "1");
      }
    }
  }

  private static void sendRetrain(
      KafkaProducer<String, Object> producer, Topics topics, String id) {
    RetrainRequest request =
        RetrainRequest.newBuilder()
            .setRequestId(id)
            .setModelName("spine-unet")
            .setRequestedBy("trainer-it")
            .setOrigin(RetrainOrigin.CLI)
            .setReason("test")
            .setRequestedAt(Instant.now())
            .build();
    producer.send(new ProducerRecord<>(topics.retrain().name(), "spine-unet", request));
  }

  private static List<TrainingProgress> phase(
      List<ConsumerRecord<String, TrainingProgress>> records, TrainingPhase phase) {
    return records.stream().map(ConsumerRecord::value).filter(p -> p.getPhase() == phase).toList();
  }

  private static List<TrainingProgress> terminal(
      List<ConsumerRecord<String, TrainingProgress>> records) {
    return records.stream()
        .map(ConsumerRecord::value)
        .filter(
            p ->
                p.getPhase() == TrainingPhase.PROMOTED
                    || p.getPhase() == TrainingPhase.REJECTED
                    || p.getPhase() == TrainingPhase.FAILED)
        .toList();
  }

  private static List<TrainingProgress> awaitPhase(
      TopicReader<String, TrainingProgress> reader, TrainingPhase phase, int count) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> phase(reader.records(), phase).size() >= count);
    return phase(reader.records(), phase);
  }

  private static List<TrainingProgress> awaitTerminal(
      TopicReader<String, TrainingProgress> reader, int count) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> terminal(reader.records()).size() >= count);
    List<TrainingProgress> out = terminal(reader.records());
    assertThat(out).hasSize(count);
    assertThat(out).noneMatch(p -> p.getPhase() == TrainingPhase.FAILED);
    return out;
  }
}
