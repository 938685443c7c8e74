package io.spineflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spineflow.cli.erasure.ErasurePlan;
import io.spineflow.cli.erasure.StudyEraser;
import io.spineflow.events.AnnouncementKind;
import io.spineflow.events.AuditAction;
import io.spineflow.events.AuditEvent;
import io.spineflow.events.ClaimCheck;
import io.spineflow.events.ModelAnnouncement;
import io.spineflow.events.Segmentation;
import io.spineflow.events.SliceSummary;
import io.spineflow.events.Study;
import io.spineflow.imaging.Sequence;
import io.spineflow.imaging.phantom.PhantomGenerator;
import io.spineflow.imaging.phantom.PhantomSpec;
import io.spineflow.ingest.StudyPusher;
import io.spineflow.model.ModelAnnouncements;
import io.spineflow.model.ModelArchitectures;
import io.spineflow.model.UNetConfig;
import io.spineflow.platform.KafkaClients;
import io.spineflow.platform.Settings;
import io.spineflow.platform.blob.BlobRef;
import io.spineflow.platform.blob.FileBlobStore;
import io.spineflow.schemas.Topic;
import io.spineflow.schemas.TopicSettings;
import io.spineflow.schemas.Topics;
import io.spineflow.testkit.ConsumerLag;
import io.spineflow.testkit.SharedKafka;
import io.spineflow.testkit.StudyResults;
import io.spineflow.testkit.TopicReader;
import io.spineflow.trainer.QualityFloor;
import io.spineflow.trainer.TrainerService;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./spineflow forget} end to end on the embedded broker: two studies go through ingest
 * (claim-checked), preprocess and the dashboard; the trainer's cache and the quality floor hold
 * both (the live models announcement's floor and the legacy file); then, with the services stopped,
 * one study is forgotten through the command line. Its claim-check files and cache are gone, the
 * floor no longer pins it (the announcement is sent again with the floor unpinned), its keys in the
 * store changelogs are tombstoned, an ERASURE record is on {@code audit}, and the report names the
 * non-compacted topics with the retention the broker has for them. The other study is untouched.
 */
class ForgetIT {
  private static final Duration WAIT = Duration.ofSeconds(120);

  @TempDir Path dataDir;

  @Test
  void forgetRemovesTheStudyEverywhereItCanAndReportsWhatOnlyRetentionRemoves() throws Exception {
    String bootstrap = SharedKafka.bootstrapServers();
    String prefix = "forget" + UUID.randomUUID().toString().substring(0, 8) + ".";
    Map<String, String> values = new HashMap<>();
    values.put("bootstrap.servers", bootstrap);
    values.put("topic.prefix", prefix);
    values.put("topic.partitions", "2");
    values.put("data.dir", dataDir.toString());
    values.put("startup.timeout", "60s");
    values.put("ingest.token", "forget-it-ingest-token");
    values.put("ingest.watch.dir", "");
    values.put("dashboard.viewer.token", "forget-it-viewer-token");
    // Every volume travels by claim check, so there are claim-check files to forget.
    values.put("ingest.study.inline.max.bytes", "1024");
    Settings settings = Settings.of(values);
    Topics topics = new Topics(prefix, 2);
    KafkaClients clients = KafkaClients.from(settings);

    List<String> uids = new ArrayList<>();
    Map<String, List<Path>> sent = new HashMap<>();
    try (RunningServices running =
            RunningServices.start(
                List.of(ServiceModules.INGEST, ServiceModules.PREPROCESS, ServiceModules.DASHBOARD),
                settings,
                Map.of("ingest", 0, "preprocess", 0, "dashboard", 0));
        StudyPusher pusher = new StudyPusher(clients, topics);
        TopicReader<String, SliceSummary> summaries =
            new TopicReader<>(bootstrap, topics.slicesSummary())) {
      PhantomGenerator generator = new PhantomGenerator();
      for (int i = 0; i < 2; i++) {
        PhantomSpec spec = PhantomSpec.of(Sequence.T2, 700 + i).withSizeScale(0.4);
        List<Path> files =
            DemoFeeder.writeFiles(
                generator.generate(spec), dataDir.resolve("send"), spec.fileStem(), true);
        String uid = pusher.push(files).get(0).studyUid();
        uids.add(uid);
        sent.put(uid, files);
      }
      summaries.awaitKeys(Set.copyOf(uids), WAIT);
      // The dashboard's gallery waits for masks (no inference here): slices of both studies sit
      // in gallery-pending, keyed by slice.
      try (TopicReader<String, byte[]> pending =
          new TopicReader<>(bootstrap, changelog(prefix + "spineflow-dashboard-gallery-pending"))) {
        await()
            .atMost(WAIT)
            .until(
                () ->
                    pending.records().stream()
                        .map(ConsumerRecord::key)
                        .anyMatch(k -> k.startsWith(uids.get(0) + "/")));
      }
    }
    String forgotten = uids.get(0);
    String kept = uids.get(1);
    // Each study's result (no inference here: built from its phantom as results would), its label
    // volume and DICOM Segmentation in the same blob store.
    try (FileBlobStore blobs = new FileBlobStore(dataDir.resolve("claims"), 1L << 30)) {
      for (int i = 0; i < uids.size(); i++) {
        StudyResults.publish(
            bootstrap,
            topics.segmentations(),
            StudyResults.of(uids.get(i), 700 + i, blobs, Instant.now(), 1).event());
      }
    }

    Map<String, List<Path>> claimFiles =
        claimFiles(bootstrap, topics, uids, dataDir.resolve("claims"));
    assertThat(claimFiles.get(forgotten)).isNotEmpty().allSatisfy(p -> assertThat(p).exists());
    assertThat(claimFiles.get(kept)).isNotEmpty();

    // The trainer's cache and the quality floor as the trainer leaves them (no trainer runs here:
    // it needs PyTorch and minutes; the layout is the trainer's own).
    for (String uid : uids) {
      Path dir = Files.createDirectories(TrainerService.cachedStudyDir(dataDir, uid));
      Files.writeString(dir.resolve("0.slice"), "pixels");
      Files.writeString(dir.resolve("1.slice"), "pixels");
      Files.writeString(dir.resolve("summary.bin"), "summary");
    }
    ErasurePlan plan = ErasurePlan.of(forgotten, topics, settings);
    new QualityFloor(0.8, Map.of("discs", 0.7), new TreeSet<>(uids), 1, 2, Instant.now())
        .write(plan.qualityFloor());
    // The floor in force travels in the live models announcement (the file is its legacy copy).
    ModelAnnouncement live =
        liveModel(
            new QualityFloor(
                0.85, Map.of("discs", 0.75), new TreeSet<>(uids), 1, 3, Instant.now()));
    try (KafkaProducer<String, ModelAnnouncement> producer =
        new KafkaProducer<>(
            clients.producer("forget-it-models", null, 1 << 20),
            new StringSerializer(),
            topics.models().valueSerde().serializer())) {
      producer.send(new ProducerRecord<>(topics.models().name(), live.getModelName(), live)).get();
    }

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        Spineflow.run(
            new String[] {
              "forget",
              forgotten,
              "--bootstrap-servers",
              bootstrap,
              "--topic-prefix",
              prefix,
              "--data-dir",
              dataDir.toString(),
              "--actor",
              "operator:forget-it"
            },
            new PrintWriter(out),
            new PrintWriter(err));
    String report = out.toString();
    assertThat(exit).as(err.toString()).isZero();

    // Files.
    assertThat(claimFiles.get(forgotten)).allSatisfy(p -> assertThat(p).doesNotExist());
    assertThat(claimFiles.get(kept)).allSatisfy(p -> assertThat(p).exists());
    assertThat(TrainerService.cachedStudyDir(dataDir, forgotten)).doesNotExist();
    assertThat(TrainerService.cachedStudyDir(dataDir, kept).resolve("0.slice")).exists();
    assertThat(QualityFloor.read(plan.qualityFloor()).orElseThrow().referenceStudies())
        .containsExactly(kept);
    // The live announcement is sent again, the same but for its floor, which no longer pins it.
    try (TopicReader<String, ModelAnnouncement> models =
        new TopicReader<>(bootstrap, topics.models())) {
      List<ConsumerRecord<String, ModelAnnouncement>> announced = models.awaitAtLeast(2, WAIT);
      assertThat(announced).hasSize(2);
      ModelAnnouncement after = announced.get(1).value();
      QualityFloor floor = QualityFloor.of(after).orElseThrow();
      assertThat(floor.referenceStudies()).containsExactly(kept);
      assertThat(floor.meanDice()).isEqualTo(0.85);
      assertThat(floor.raisedByVersion()).isEqualTo(3);
      assertThat(ModelAnnouncement.newBuilder(after).setQualityFloor(null).build())
          .isEqualTo(ModelAnnouncement.newBuilder(live).setQualityFloor(null).build());
    }

    // Changelogs: the study's last record per key is a tombstone; the other study's are values.
    assertLatestIsTombstone(bootstrap, prefix + "spineflow-ingest-seen-studies", forgotten, kept);
    assertLatestIsTombstone(
        bootstrap, prefix + "spineflow-preprocess-preprocessed-studies", forgotten, kept);
    assertLatestIsTombstone(
        bootstrap, prefix + "spineflow-dashboard-gallery-pending", forgotten, kept);

    // Audit.
    try (TopicReader<String, AuditEvent> audit = new TopicReader<>(bootstrap, topics.audit())) {
      List<AuditEvent> erasures =
          audit.readToEnd(WAIT).stream()
              .map(ConsumerRecord::value)
              .filter(e -> e.getAction() == AuditAction.ERASURE)
              .toList();
      assertThat(erasures).hasSize(1);
      AuditEvent e = erasures.get(0);
      assertThat(e.getSubject()).isEqualTo(StudyEraser.subjectOf(forgotten));
      assertThat(e.getActor()).isEqualTo("operator:forget-it");
      assertThat(e.getDetails())
          .containsEntry("claimFiles", Integer.toString(claimFiles.get(forgotten).size()))
          .containsEntry("cachedFiles", "3")
          .containsEntry("qualityFloor", "UNPINNED");
      assertThat(e.toString()).doesNotContain(forgotten);
    }

    // The report: what was removed, and the topics that keep the study with their retention as
    // the broker has it.
    assertThat(report)
        .contains(claimFiles.get(forgotten).size() + " deleted")
        .contains("3 files deleted")
        .contains("study unpinned; the floor stands on the 1 other reference studies")
        .doesNotContain("Still to do") // every service was stopped
        .doesNotContain(forgotten);
    assertThat(lineOf(report, prefix + "studies "))
        .contains("retention " + days(topics.studies()) + "d: gone by");
    assertThat(lineOf(report, prefix + "studies.upload "))
        .contains("retention " + days(topics.studiesUpload()) + "d");
    assertThat(lineOf(report, prefix + "masks ")).contains("retention 30d");
    assertThat(lineOf(report, prefix + "slices ")).contains("retention forever");
    assertThat(lineOf(report, prefix + "spineflow-ingest-seen-studies-changelog"))
        .contains("1 tombstones");

    // Retention as the broker has it, not as the registry declares it: change one, forget again.
    try (Admin admin = Admin.create(clients.admin())) {
      admin
          .incrementalAlterConfigs(
              Map.of(
                  new org.apache.kafka.common.config.ConfigResource(
                      org.apache.kafka.common.config.ConfigResource.Type.TOPIC, prefix + "masks"),
                  List.of(
                      new org.apache.kafka.clients.admin.AlterConfigOp(
                          new org.apache.kafka.clients.admin.ConfigEntry(
                              "retention.ms", Long.toString(Duration.ofHours(36).toMillis())),
                          org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET))))
          .all()
          .get();
    }
    StringWriter again = new StringWriter();
    assertThat(
            Spineflow.run(
                new String[] {
                  "forget",
                  forgotten,
                  "--bootstrap-servers",
                  bootstrap,
                  "--topic-prefix",
                  prefix,
                  "--data-dir",
                  dataDir.toString()
                },
                new PrintWriter(again),
                new PrintWriter(new StringWriter())))
        .isZero();
    assertThat(lineOf(again.toString(), prefix + "masks ")).contains("retention 36h");
    // Nothing left to remove the second time.
    assertThat(again.toString()).contains("0 deleted").contains("does not pin the study");
    assertThat(lineOf(again.toString(), prefix + "spineflow-ingest-seen-studies-changelog"))
        .contains("0 tombstones");

    // Ingest, started again on its local store, restores the tombstones: a resend of the
    // forgotten study is a new study, not a duplicate of one it no longer knows.
    try (RunningServices running =
            RunningServices.start(List.of(ServiceModules.INGEST), settings, Map.of("ingest", 0));
        StudyPusher pusher = new StudyPusher(clients, topics);
        TopicReader<String, Study> studies = new TopicReader<>(bootstrap, topics.studies())) {
      // A running service is named with what to do, the stopped ones are not.
      try (Admin admin = Admin.create(clients.admin())) {
        Map<String, String> advice = ForgetCommand.runningAdvice(topics, settings);
        String ingestAdvice = advice.get(prefix + "spineflow-ingest");
        await()
            .atMost(WAIT)
            .until(
                () ->
                    new StudyEraser(clients, admin, topics, WAIT, java.time.Clock.systemUTC())
                        .runningServices(advice)
                        .equals(List.of(ingestAdvice)));
      }
      Set<Integer> partitions = new java.util.HashSet<>();
      pusher.push(sent.get(forgotten)).forEach(p -> partitions.add(p.partition()));
      // Still remembered: dropped as a duplicate.
      pusher.push(sent.get(kept)).forEach(p -> partitions.add(p.partition()));
      await()
          .atMost(WAIT)
          .until(
              () -> studies.records().stream().filter(r -> r.key().equals(forgotten)).count() == 2);
      try (ConsumerLag lag = new ConsumerLag(bootstrap)) {
        // Both resends consumed (offsets commit with the outputs): the kept one made nothing.
        lag.awaitZero(
            prefix + "spineflow-ingest", prefix + "studies.upload", partitions.size(), WAIT);
      }
      assertThat(studies.readToEnd(WAIT).stream().filter(r -> r.key().equals(kept))).hasSize(1);
    }
  }

  /** A live announcement of model v3 (the default model name) carrying {@code floor}. */
  private static ModelAnnouncement liveModel(QualityFloor floor) {
    return ModelAnnouncement.newBuilder()
        .setModelName("spine-unet")
        .setVersion(3)
        .setLocation("blob:spine-unet/v3")
        .setSha256("ab".repeat(32))
        .setArchitecture(ModelArchitectures.toEvent(UNetConfig.profile("cpu")))
        .setValidationMetrics(Map.of("dice.mean", 0.86))
        .setLineage(ModelAnnouncements.lineage(List.of(), List.of(), Map.of(), 2, 7))
        .setKind(AnnouncementKind.PROMOTED)
        .setAnnouncedAt(Instant.parse("2026-12-01T00:00:00Z"))
        .setQualityFloor(floor.toEvent())
        .build();
  }

  private static long days(Topic<String, ?> topic) {
    return Duration.ofMillis(topic.settings().retentionMs()).toDays();
  }

  /** The report's line for a place; a long name stands alone and its text is on the next line. */
  private static String lineOf(String report, String start) {
    List<String> lines = report.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.startsWith(start)) {
        return line.equals(start) && i + 1 < lines.size() ? line + " " + lines.get(i + 1) : line;
      }
    }
    throw new AssertionError("no line for " + start + " in\n" + report);
  }

  private static Topic<String, byte[]> changelog(String store) {
    return new Topic<>(
        store + "-changelog",
        Serdes.String(),
        Serdes.ByteArray(),
        new TopicSettings(1, true, -1, 1 << 20, "producer"));
  }

  private static void assertLatestIsTombstone(
      String bootstrap, String store, String forgotten, String kept) {
    Map<String, byte[]> latest = new HashMap<>();
    try (TopicReader<String, byte[]> reader = new TopicReader<>(bootstrap, changelog(store))) {
      reader.readToEnd(WAIT).forEach(r -> latest.put(r.key(), r.value()));
    }
    List<String> ofForgotten =
        latest.keySet().stream()
            .filter(k -> k.equals(forgotten) || k.startsWith(forgotten + "/"))
            .toList();
    List<String> ofKept =
        latest.keySet().stream().filter(k -> k.equals(kept) || k.startsWith(kept + "/")).toList();
    assertThat(ofForgotten).as(store).isNotEmpty();
    assertThat(ofForgotten).as(store).allSatisfy(k -> assertThat(latest.get(k)).isNull());
    assertThat(ofKept)
        .as(store)
        .isNotEmpty()
        .allSatisfy(k -> assertThat(latest.get(k)).isNotNull());
  }

  /**
   * The claim-check files (in the file blob store {@code claims}) each study's events name: its
   * volumes, and its result's label volume, DICOM Segmentation and measurement report.
   */
  private static Map<String, List<Path>> claimFiles(
      String bootstrap, Topics topics, List<String> uids, Path claims) {
    FileBlobStore store = new FileBlobStore(claims, 1);
    Map<String, List<Path>> files = new HashMap<>();
    uids.forEach(uid -> files.put(uid, new ArrayList<>()));
    try (TopicReader<String, Study> studies = new TopicReader<>(bootstrap, topics.studies())) {
      for (ConsumerRecord<String, Study> r : studies.readToEnd(WAIT)) {
        Study s = r.value();
        for (var volume : new io.spineflow.events.Volume[] {s.getImage(), s.getLabel()}) {
          if (volume != null && volume.getVoxels() instanceof ClaimCheck c) {
            files.get(r.key()).add(store.pathOf(BlobRef.parse(c.getUri())));
          }
        }
      }
    }
    try (TopicReader<String, Segmentation> results =
        new TopicReader<>(bootstrap, topics.segmentations())) {
      for (ConsumerRecord<String, Segmentation> r : results.readToEnd(WAIT)) {
        Segmentation result = r.value();
        files.get(r.key()).add(store.pathOf(BlobRef.parse(result.getLabelVolume().getBlob())));
        files
            .get(r.key())
            .add(store.pathOf(BlobRef.parse(result.getDicomSegmentation().getFile().getBlob())));
        files
            .get(r.key())
            .add(store.pathOf(BlobRef.parse(result.getMeasurementReport().getFile().getBlob())));
      }
    }
    return files;
  }
}
