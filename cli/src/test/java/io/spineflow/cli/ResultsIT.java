package io.spineflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spineflow.events.ClassVolumeMl;
import io.spineflow.events.DeadLetter;
import io.spineflow.events.Mask;
import io.spineflow.events.Segmentation;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.Sequence;
import io.spineflow.imaging.dicom.DicomLimits;
import io.spineflow.imaging.dicom.DicomReader;
import io.spineflow.imaging.dicom.SegmentationLabels;
import io.spineflow.imaging.dicom.SegmentationObject;
import io.spineflow.imaging.metaimage.MetaImageReader;
import io.spineflow.imaging.phantom.PhantomGenerator;
import io.spineflow.imaging.phantom.PhantomSpec;
import io.spineflow.imaging.phantom.PhantomStudy;
import io.spineflow.imaging.volume.LabelValues;
import io.spineflow.ingest.StudyPusher;
import io.spineflow.model.ModelStore;
import io.spineflow.platform.KafkaClients;
import io.spineflow.platform.Settings;
import io.spineflow.platform.blob.BlobRef;
import io.spineflow.platform.blob.BlobStore;
import io.spineflow.platform.blob.BlobStores;
import io.spineflow.schemas.Topics;
import io.spineflow.testkit.SharedKafka;
import io.spineflow.testkit.TopicReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #19 item 1 end to end, in one JVM on the shared embedded KRaft broker: phantom studies
 * through the real ingest, preprocess and inference services (the shipped starter model) into the
 * results service, which is closed once some masks are out and started again on the same state.
 * Then, read_committed: exactly one {@code segmentations} event per study and no dead letter; each
 * label volume, read back from the blob store, is on the phantom's own grid and its Dice per class
 * against the phantom's merged label over the segmented slices is printed; each SEG reads back as a
 * Segmentation.
 */
class ResultsIT {
  private static final Duration WAIT = Duration.ofMinutes(3);
  private static final String MODEL = "spine-unet";

  @TempDir Path dataDir;

  @Test
  void everyStudyGetsExactlyOneSegmentationAcrossARestartOfResults() throws Exception {
    long started = System.nanoTime();
    String bootstrap = SharedKafka.bootstrapServers();
    String prefix = "results" + UUID.randomUUID().toString().substring(0, 8) + ".";
    Map<String, String> values = new HashMap<>();
    values.put("bootstrap.servers", bootstrap);
    values.put("topic.prefix", prefix);
    values.put("topic.partitions", "2");
    values.put("data.dir", dataDir.toString());
    values.put("startup.timeout", "60s");
    values.put("ingest.token", "results-it-ingest-token");
    values.put("ingest.watch.dir", "");
    values.put("model.name", MODEL);
    values.put("model.store", dataDir.resolve("models").toString());
    values.put("inference.threads", "1");
    Settings settings = Settings.of(values);
    Topics topics = new Topics(prefix, 2);
    KafkaClients clients = KafkaClients.from(settings);
    Map<String, PhantomStudy> sent = new HashMap<>();
    try (RunningServices pipeline =
            RunningServices.start(
                List.of(ServiceModules.INGEST, ServiceModules.PREPROCESS, ServiceModules.INFERENCE),
                settings,
                Map.of("ingest", 0, "preprocess", 0, "inference", 0));
        StudyPusher pusher = new StudyPusher(clients, topics);
        TopicReader<String, Mask> masks = new TopicReader<>(bootstrap, topics.masks());
        TopicReader<String, DeadLetter> deadLetters =
            new TopicReader<>(bootstrap, topics.deadletter())) {
      DemoModel.install(
          StarterModel.extractTo(dataDir.resolve("starter")),
          new ModelStore(dataDir.resolve("models")),
          MODEL,
          clients,
          topics);
      RunningServices results = startResults(settings);
      PhantomGenerator generator = new PhantomGenerator();
      for (int i = 0; i < 3; i++) {
        PhantomSpec spec = PhantomSpec.of(Sequence.values()[i], 910 + i).withSizeScale(0.5);
        PhantomStudy study = generator.generate(spec);
        List<Path> files =
            // Labelled: inference scores every slice, so the event's quality summary holds the
            // slice-level Dice the label volume's Dice is compared with.
            DemoFeeder.writeFiles(study, dataDir.resolve("send"), spec.fileStem(), true);
        sent.put(pusher.push(files).get(0).studyUid(), study);
      }
      // A restart in the middle: some masks are out, not all studies can be complete.
      await().atMost(WAIT).until(() -> masks.records().size() >= 2);
      results.close();
      int masksAtRestart = masks.records().size();
      results = startResults(settings);
      // Opened once results has created the topic (a reader assigns the partitions it finds).
      try (TopicReader<String, Segmentation> segmentations =
          new TopicReader<>(bootstrap, topics.segmentations())) {
        segmentations.awaitKeys(sent.keySet(), WAIT);
        List<ConsumerRecord<String, Segmentation>> events = segmentations.readToEnd(WAIT);
        Map<String, Long> perStudy =
            events.stream()
                .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
        assertThat(perStudy).containsOnlyKeys(sent.keySet());
        assertThat(perStudy).allSatisfy((uid, n) -> assertThat(n).as(uid).isEqualTo(1));
        assertThat(deadLetters.readToEnd(WAIT)).as("dead letters").isEmpty();
        try (BlobStore blobs = BlobStores.open(settings, dataDir.resolve("claims"))) {
          for (ConsumerRecord<String, Segmentation> event : events) {
            check(event.value(), sent.get(event.key()), blobs);
          }
        }
        System.out.printf(
            Locale.ROOT,
            "results IT: %d studies, results restarted after %d masks, %d segmentations,"
                + " %.1f s%n",
            sent.size(),
            masksAtRestart,
            events.size(),
            (System.nanoTime() - started) / 1e9);
      } finally {
        results.close();
      }
    }
  }

  private static RunningServices startResults(Settings settings) {
    return RunningServices.start(List.of(ServiceModules.RESULTS), settings, Map.of("results", 0));
  }

  private static void check(Segmentation seg, PhantomStudy study, BlobStore blobs)
      throws Exception {
    assertThat(seg.getSegmentedSlices()).isNotEmpty();
    assertThat(seg.getModels()).hasSize(1);
    assertThat(seg.getModels().get(0).getSha256()).hasSize(64);
    assertThat(seg.getMixedModelVersions()).isFalse();
    assertThat(seg.getQuality().getSlices()).isEqualTo(seg.getSegmentedSlices().size());
    Image labels =
        new MetaImageReader()
            .read(blobs.get(BlobRef.parse(seg.getLabelVolume().getBlob())))
            .image();
    assertThat(labels.geometry().sameGrid(study.image().geometry(), 1e-6)).isTrue();
    double voxelMl =
        java.util.Arrays.stream(labels.geometry().spacing()).reduce(1, (a, b) -> a * b) / 1000;
    StringBuilder dice = new StringBuilder();
    int[] values = {LabelValues.VERTEBRAE, LabelValues.CANAL, LabelValues.DISCS};
    for (int c = 0; c < 3; c++) {
      ClassVolumeMl volume = seg.getClassVolumes().get(c);
      assertThat(volume.getLabelValue()).isEqualTo(values[c]);
      // Plausible: the voxels it counts, and less than the segmented slices hold.
      assertThat(volume.getMillilitres()).isCloseTo(volume.getVoxels() * voxelMl, within());
      double d = dice(labels, study.mask(), values[c]);
      Double sliceDice = seg.getQuality().getMeanDice().get(volume.getClassName());
      dice.append(
          String.format(
              Locale.ROOT,
              " %s %.3f (slice-level %s, ratio %s)",
              volume.getClassName(),
              d,
              sliceDice == null ? "-" : String.format(Locale.ROOT, "%.3f", sliceDice),
              sliceDice == null ? "-" : String.format(Locale.ROOT, "%.3f", d / sliceDice)));
    }
    assertThat(seg.getClassVolumes().get(0).getMillilitres())
        .as("vertebrae mL")
        .isGreaterThan(seg.getClassVolumes().get(1).getMillilitres());
    System.out.printf(
        Locale.ROOT,
        "results IT: %s (%s): %d of %d slices segmented, mL vertebrae %.1f canal %.1f discs %.1f,"
            + " Dice vs its own label on those slices:%s; levels %d, flags %s%n",
        study.studyId(),
        seg.getSequence(),
        seg.getSegmentedSlices().size(),
        seg.getSourceSlices(),
        seg.getClassVolumes().get(0).getMillilitres(),
        seg.getClassVolumes().get(1).getMillilitres(),
        seg.getClassVolumes().get(2).getMillilitres(),
        dice,
        seg.getLevels().size(),
        seg.getLevelFlags());
    if (seg.getDicomSegmentation() != null) {
      byte[] part10 = blobs.get(BlobRef.parse(seg.getDicomSegmentation().getFile().getBlob()));
      var file = new DicomReader().readFile(part10);
      assertThat(SegmentationObject.isSegmentation(file)).isTrue();
      assertThat(file.dataset().string(io.spineflow.imaging.dicom.DicomTag.SOP_INSTANCE_UID))
          .isEqualTo(seg.getDicomSegmentation().getSopInstanceUid());
      // A MetaImage study's SEG references no series: it carries the geometry. Read back on the
      // grid its own frames define (the sagittal axis made its third), it holds as many voxels of
      // each class as the label volume's segmented slices.
      Image fromSeg =
          SegmentationLabels.onOwnGrid(
                  SegmentationObject.readUnreferenced(file, DicomLimits.DEFAULT), 0.05)
              .label();
      for (int value : values) {
        assertThat(count(fromSeg, value)).as("voxels of %d", value).isEqualTo(count(labels, value));
      }
    } else {
      assertThat(seg.getDicomSegmentationSkipped()).isNotBlank();
    }
    // Every phantom has numbered, measured levels: each result has its measurement report.
    assertThat(seg.getMeasurementReport()).as(seg.getMeasurementReportSkipped()).isNotNull();
    var sr =
        new DicomReader()
            .readFile(blobs.get(BlobRef.parse(seg.getMeasurementReport().getFile().getBlob())))
            .dataset();
    assertThat(sr.string(io.spineflow.imaging.dicom.DicomTag.SOP_INSTANCE_UID))
        .isEqualTo(seg.getMeasurementReport().getSopInstanceUid());
    if (seg.getDicomSegmentation() != null) {
      assertThat(sr.string(io.spineflow.imaging.dicom.DicomTag.STUDY_INSTANCE_UID))
          .isEqualTo(seg.getDicomSegmentation().getStudyInstanceUid());
    }
  }

  private static long count(Image image, int value) {
    long n = 0;
    for (long i = 0; i < image.voxelCount(); i++) {
      n += image.voxel(i) == value ? 1 : 0;
    }
    return n;
  }

  /**
   * Dice of {@code value} in the label volume against the phantom's SPIDER label merged as
   * preprocess merges it (1-99 and 101-199 vertebrae, 100 canal, 200-299 discs), over the voxels of
   * the segmented slices (not 65535).
   */
  static double dice(Image labels, Image reference, int value) {
    long both = 0;
    long predicted = 0;
    long truth = 0;
    for (long i = 0; i < labels.voxelCount(); i++) {
      int v = (int) labels.voxel(i);
      if (v == LabelValues.NOT_SEGMENTED) {
        continue;
      }
      boolean p = v == value;
      boolean t = merged((int) reference.voxel(i)) == value;
      both += p && t ? 1 : 0;
      predicted += p ? 1 : 0;
      truth += t ? 1 : 0;
    }
    return predicted + truth == 0 ? Double.NaN : 2.0 * both / (predicted + truth);
  }

  private static int merged(int spider) {
    if (spider == 100) {
      return LabelValues.CANAL;
    }
    if (spider >= 1 && spider < 200) {
      return LabelValues.VERTEBRAE;
    }
    return spider >= 200 && spider < 300 ? LabelValues.DISCS : LabelValues.BACKGROUND;
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-6);
  }
}
