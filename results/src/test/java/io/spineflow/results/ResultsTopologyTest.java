package io.spineflow.results;

import static io.spineflow.results.Fixtures.MODEL;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spineflow.events.DeadLetter;
import io.spineflow.events.DicomReportOutput;
import io.spineflow.events.Mask;
import io.spineflow.events.ModelAnnouncement;
import io.spineflow.events.Quality;
import io.spineflow.events.Segmentation;
import io.spineflow.events.Slice;
import io.spineflow.events.SliceSummary;
import io.spineflow.events.Study;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.dicom.DataSet;
import io.spineflow.imaging.dicom.DicomLimits;
import io.spineflow.imaging.dicom.DicomReader;
import io.spineflow.imaging.dicom.DicomTag;
import io.spineflow.imaging.dicom.DicomVolume;
import io.spineflow.imaging.dicom.MeasurementReportWriter;
import io.spineflow.imaging.dicom.SegmentationLabels;
import io.spineflow.imaging.dicom.SegmentationObject;
import io.spineflow.imaging.metaimage.MetaImage;
import io.spineflow.imaging.metaimage.MetaImageReader;
import io.spineflow.imaging.volume.LabelValues;
import io.spineflow.imaging.volume.LabelVolume;
import io.spineflow.imaging.volume.LabelVolumeAssembler;
import io.spineflow.platform.blob.BlobRef;
import io.spineflow.platform.blob.FileBlobStore;
import io.spineflow.schemas.Topic;
import io.spineflow.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsTopologyTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final List<Integer> EMITTED = List.of(1, 2, 3);
  private static final Duration RETENTION = Duration.ofHours(2);

  @TempDir Path dir;

  private final Topics topics = new Topics("", 3);
  private FileBlobStore blobs;
  private TopologyTestDriver driver;
  private TestInputTopic<String, Study> studies;
  private TestInputTopic<String, Slice> slices;
  private TestInputTopic<String, SliceSummary> summaries;
  private TestInputTopic<String, Mask> masks;
  private TestInputTopic<String, Quality> quality;
  private TestInputTopic<String, ModelAnnouncement> models;
  private TestOutputTopic<String, Segmentation> segmentations;
  private TestOutputTopic<String, DeadLetter> deadletters;

  @BeforeEach
  void start() {
    blobs = new FileBlobStore(dir.resolve("blobs"), 64 << 20);
    blobs.put(Fixtures.patientAndStudy());
    ResultsConfig config = ResultsConfig.defaults(dir).withStudyRetention(RETENTION);
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "results-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
    driver =
        new TopologyTestDriver(
            ResultsTopology.build(config, topics, blobs, new SimpleMeterRegistry()), props, T0);
    studies = input(topics.studies());
    slices = input(topics.slices());
    summaries = input(topics.slicesSummary());
    masks = input(topics.masks());
    quality = input(topics.quality());
    models = input(topics.models());
    segmentations = output(topics.segmentations());
    deadletters = output(topics.deadletter());
  }

  @AfterEach
  void stop() {
    driver.close();
    blobs.close();
  }

  private <V> TestInputTopic<String, V> input(Topic<String, V> topic) {
    return driver.createInputTopic(
        topic.name(), Serdes.String().serializer(), topic.valueSerde().serializer());
  }

  private <V> TestOutputTopic<String, V> output(Topic<String, V> topic) {
    return driver.createOutputTopic(
        topic.name(), Serdes.String().deserializer(), topic.valueSerde().deserializer());
  }

  private static String key(String uid, int k) {
    return uid + "/" + k;
  }

  private void sendHeaderAndSummary(String uid, Instant received, String sha, boolean dicom) {
    studies.pipeInput(uid, Fixtures.study(uid, received, sha, dicom));
    summaries.pipeInput(uid, Fixtures.summary(uid, received, EMITTED));
  }

  private void sendSlice(String uid, int k, Instant received, int version) {
    Instant produced = received.plusSeconds(10 + k);
    slices.pipeInput(key(uid, k), Fixtures.slice(uid, k, received));
    masks.pipeInput(key(uid, k), Fixtures.mask(uid, k, received, version, produced));
    quality.pipeInput(key(uid, k), Fixtures.quality(uid, k, version, produced, 0.8 + k / 100.0));
  }

  @Test
  void completesOnceEveryEmittedSliceHasItsMaskAndQuality() throws Exception {
    models.pipeInput(MODEL, Fixtures.announcement(1, T0));
    sendHeaderAndSummary("s1", T0, "aa", false);
    sendSlice("s1", 1, T0, 1);
    sendSlice("s1", 2, T0, 1);
    slices.pipeInput(key("s1", 3), Fixtures.slice("s1", 3, T0));
    Instant produced = T0.plusSeconds(13);
    masks.pipeInput(key("s1", 3), Fixtures.mask("s1", 3, T0, 1, produced));
    assertThat(segmentations.isEmpty()).as("slice 3 has no quality record yet").isTrue();

    quality.pipeInput(key("s1", 3), Fixtures.quality("s1", 3, 1, produced, 0.83));

    List<Segmentation> out = segmentations.readValuesToList();
    assertThat(out).hasSize(1);
    Segmentation seg = out.get(0);
    assertThat(seg.getStudyUid()).isEqualTo("s1");
    assertThat(seg.getContentSha256()).isEqualTo("aa");
    assertThat(seg.getSegmentedSlices()).containsExactly(1, 2, 3);
    assertThat(seg.getSourceSlices()).isEqualTo(Fixtures.SLICES);
    assertThat(seg.getSagittalAxis()).isEqualTo(2);
    assertThat(seg.getMixedModelVersions()).isFalse();
    assertThat(seg.getModels()).hasSize(1);
    assertThat(seg.getModels().get(0).getSha256()).isEqualTo(Fixtures.sha(1));
    assertThat(seg.getModels().get(0).getSlices()).isEqualTo(3);
    assertThat(seg.getQuality().getSlices()).isEqualTo(3);
    assertThat(seg.getQuality().getImplausibleSlices()).isEqualTo(1);
    assertThat(seg.getQuality().getLabelledSlices()).isEqualTo(3);
    assertThat(seg.getQuality().getMeanDice().get("discs")).isCloseTo(0.82, within());
    assertThat(seg.getClassVolumes())
        .extracting(c -> c.getClassName())
        .containsExactly("vertebrae", "canal", "discs");
    assertThat(seg.getClassVolumes()).allSatisfy(c -> assertThat(c.getVoxels()).isPositive());
    // A MetaImage study: the SEG carries the volume's geometry, no referenced series.
    assertThat(seg.getDicomSegmentation()).isNotNull();
    assertThat(seg.getDicomSegmentation().getReferencedSeriesInstanceUid()).isNull();
    assertThat(deadletters.isEmpty()).isTrue();

    // The MetaImage read back is the label volume the assembler makes of the same masks.
    LabelVolume expected =
        LabelVolumeAssembler.assemble(Fixtures.geometry(), Fixtures.sliceMasks(EMITTED));
    byte[] mhaBytes = blobs.get(BlobRef.parse(seg.getLabelVolume().getBlob()));
    assertThat(seg.getLabelVolume().getSizeBytes()).isEqualTo(mhaBytes.length);
    assertThat(new String(mhaBytes, 0, 400, java.nio.charset.StandardCharsets.ISO_8859_1))
        .contains("ElementType = MET_USHORT");
    MetaImage mha = new MetaImageReader().read(mhaBytes);
    assertThat(mha.image().geometry().sameGrid(Fixtures.geometry(), 1e-9)).isTrue();
    assertThat(mha.image().data()).isEqualTo(expected.image().data());
    assertThat(mha.image().voxel(0)).isEqualTo(LabelValues.NOT_SEGMENTED); // slice 0
    assertThat(seg.getClassVolumes().get(2).getMillilitres())
        .isCloseTo(expected.classVolumes().get(2).millilitres(), within());

    // Late parts of a finished revision change nothing.
    sendSlice("s1", 3, T0, 1);
    assertThat(segmentations.isEmpty()).isTrue();
    assertThat(deadletters.isEmpty()).isTrue();
  }

  @Test
  void partsInAnyOrderCompleteOnce() {
    for (int k : List.of(3, 1, 2)) {
      Instant produced = T0.plusSeconds(20 + k);
      quality.pipeInput(key("s2", k), Fixtures.quality("s2", k, 4, produced, null));
      masks.pipeInput(key("s2", k), Fixtures.mask("s2", k, T0, 4, produced));
    }
    summaries.pipeInput("s2", Fixtures.summary("s2", T0, EMITTED));
    for (int k : EMITTED) {
      slices.pipeInput(key("s2", k), Fixtures.slice("s2", k, T0));
    }
    assertThat(segmentations.isEmpty()).as("no header yet").isTrue();

    studies.pipeInput("s2", Fixtures.study("s2", T0, "bb", false));

    List<Segmentation> out = segmentations.readValuesToList();
    assertThat(out).hasSize(1);
    assertThat(out.get(0).getSegmentedSlices()).containsExactly(1, 2, 3);
    // Announced after the masks: the SHA-256 is unknown, said as null.
    assertThat(out.get(0).getModels().get(0).getSha256()).isNull();
    assertThat(out.get(0).getQuality().getLabelledSlices()).isZero();
    assertThat(out.get(0).getQuality().getMeanDice()).isEmpty();
  }

  @Test
  void staleMasksOfAnOlderRevisionDoNotCompleteANewerOne() {
    Instant older = T0;
    Instant newer = T0.plusSeconds(3600);
    sendHeaderAndSummary("s3", newer, "new", false);
    for (int k : EMITTED) {
      slices.pipeInput(key("s3", k), Fixtures.slice("s3", k, newer));
    }
    // Masks and quality of the older revision, for every emitted slice.
    for (int k : EMITTED) {
      Instant produced = older.plusSeconds(5 + k);
      masks.pipeInput(key("s3", k), Fixtures.mask("s3", k, older, 1, produced));
      quality.pipeInput(key("s3", k), Fixtures.quality("s3", k, 1, produced, null));
    }
    assertThat(segmentations.isEmpty()).isTrue();

    for (int k : EMITTED) {
      Instant produced = newer.plusSeconds(5 + k);
      masks.pipeInput(key("s3", k), Fixtures.mask("s3", k, newer, 2, produced));
      quality.pipeInput(key("s3", k), Fixtures.quality("s3", k, 2, produced, null));
    }

    List<Segmentation> out = segmentations.readValuesToList();
    assertThat(out).hasSize(1);
    assertThat(out.get(0).getContentSha256()).isEqualTo("new");
    assertThat(out.get(0).getStudyReceivedAt()).isEqualTo(newer);
    assertThat(out.get(0).getModels()).extracting(m -> m.getModelVersion()).containsExactly(2);
  }

  @Test
  void aHotSwapInsideAStudyCompletesAsServedWithEveryVersion() throws Exception {
    models.pipeInput(MODEL, Fixtures.announcement(1, T0));
    sendHeaderAndSummary("s4", T0, "cc", true);
    sendSlice("s4", 1, T0, 1);
    models.pipeInput(MODEL, Fixtures.announcement(2, T0.plusSeconds(1)));
    sendSlice("s4", 2, T0, 2);
    sendSlice("s4", 3, T0, 2);

    Segmentation seg = segmentations.readValue();
    assertThat(seg.getMixedModelVersions()).isTrue();
    assertThat(seg.getModels())
        .extracting(m -> m.getModelVersion(), m -> m.getSlices(), m -> m.getSha256())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, 1, Fixtures.sha(1)),
            org.assertj.core.groups.Tuple.tuple(2, 2, Fixtures.sha(2)));
    // The SEG names both versions as its algorithm's.
    var file =
        new DicomReader()
            .readFile(blobs.get(BlobRef.parse(seg.getDicomSegmentation().getFile().getBlob())));
    assertThat(new String(file.dataset().elements().get(0x0018_1020).value()).strip())
        .contains("1+2");
  }

  @Test
  void aMaskThatDoesNotFitIsOneDeadLetterAndTheNextStudyCompletes() {
    sendHeaderAndSummary("bad", T0, "dd", false);
    sendSlice("bad", 1, T0, 1);
    sendSlice("bad", 2, T0, 1);
    // Slice 3's geometry names source slice 4 while its plane is slice 3's: refused.
    Slice wrong = Fixtures.slice("bad", 3, T0);
    wrong.setSourceSliceIndex(4);
    slices.pipeInput(key("bad", 3), wrong);
    Instant produced = T0.plusSeconds(40);
    masks.pipeInput(key("bad", 3), Fixtures.mask("bad", 3, T0, 1, produced));
    quality.pipeInput(key("bad", 3), Fixtures.quality("bad", 3, 1, produced, null));

    List<DeadLetter> letters = deadletters.readValuesToList();
    assertThat(letters).hasSize(1);
    assertThat(letters.get(0).getReasonCode()).isEqualTo("LABEL_VOLUME_PLANE_MISMATCH");
    assertThat(letters.get(0).getStage()).isEqualTo("results");
    assertThat(letters.get(0).getStudyUid()).isEqualTo("bad");
    assertThat(letters.get(0).getField()).isNotBlank();
    assertThat(letters.get(0).getLimit()).isNotBlank();
    assertThat(segmentations.isEmpty()).isTrue();

    sendHeaderAndSummary("good", T0, "ee", false);
    for (int k : EMITTED) {
      sendSlice("good", k, T0, 1);
    }
    assertThat(segmentations.readValuesToList())
        .extracting(Segmentation::getStudyUid)
        .containsExactly("good");
  }

  @Test
  void aDicomStudysSegmentationLandsOnTheLabelVolumesVoxels() throws Exception {
    sendHeaderAndSummary("1.2.3", T0, "ff", true);
    for (int k : EMITTED) {
      sendSlice("1.2.3", k, T0, 3);
    }
    Segmentation seg = segmentations.readValue();
    assertThat(seg.getDicomSegmentation()).isNotNull();
    assertThat(seg.getDicomSegmentation().getReferencedSeriesInstanceUid())
        .isEqualTo(Fixtures.SERIES_UID);
    assertThat(seg.getDicomSegmentation().getStudyInstanceUid()).isEqualTo(Fixtures.STUDY_UID);
    // The measurements as a TID 1500 report of the same patient and study.
    DicomReportOutput report = seg.getMeasurementReport();
    assertThat(report).as(seg.getMeasurementReportSkipped()).isNotNull();
    assertThat(report.getMeasurements()).isPositive();
    DataSet sr =
        new DicomReader().readFile(blobs.get(BlobRef.parse(report.getFile().getBlob()))).dataset();
    assertThat(sr.string(DicomTag.SOP_CLASS_UID))
        .isEqualTo(MeasurementReportWriter.ENHANCED_SR_STORAGE);
    assertThat(sr.string(DicomTag.SOP_INSTANCE_UID)).isEqualTo(report.getSopInstanceUid());
    assertThat(sr.string(DicomTag.STUDY_INSTANCE_UID)).isEqualTo(Fixtures.STUDY_UID);
    assertThat(sr.string(DicomTag.PATIENT_ID)).isEqualTo("PAT-1");

    byte[] part10 = blobs.get(BlobRef.parse(seg.getDicomSegmentation().getFile().getBlob()));
    SegmentationObject object =
        SegmentationObject.read(new DicomReader().readFile(part10), DicomLimits.DEFAULT);
    DicomVolume series =
        new DicomVolume(
            Fixtures.SERIES_UID,
            Image.wrap(
                Fixtures.geometry(),
                LabelValues.TYPE,
                new byte[2 * Fixtures.WIDTH * Fixtures.HEIGHT * Fixtures.SLICES]),
            Fixtures.SLICES,
            Fixtures.SPACING[2],
            DicomVolume.Plane.SAGITTAL);
    Image mapped = SegmentationLabels.map(object, series, 0.05).label();
    LabelVolume volume =
        LabelVolumeAssembler.assemble(Fixtures.geometry(), Fixtures.sliceMasks(EMITTED));
    long compared = 0;
    for (int k = 0; k < Fixtures.SLICES; k++) {
      for (int j = 0; j < Fixtures.HEIGHT; j++) {
        for (int i = 0; i < Fixtures.WIDTH; i++) {
          int expected = EMITTED.contains(k) ? volume.value(i, j, k) : 0;
          long index = i + (long) Fixtures.WIDTH * (j + (long) Fixtures.HEIGHT * k);
          assertThat((int) mapped.voxel(index)).as("voxel %d %d %d", i, j, k).isEqualTo(expected);
          compared += expected == 0 ? 0 : 1;
        }
      }
    }
    assertThat(compared).isPositive();
  }

  @Test
  void aStudyWithNoSliceEmittedHasNoSegmentationAndSaysWhy() {
    studies.pipeInput("empty", Fixtures.study("empty", T0, "gg", false));
    summaries.pipeInput("empty", Fixtures.summary("empty", T0, List.of()));
    Segmentation seg = segmentations.readValue();
    assertThat(seg.getDicomSegmentation()).isNull();
    assertThat(seg.getDicomSegmentationSkipped()).startsWith("NO_SLICE_SEGMENTED");
    assertThat(seg.getSegmentedSlices()).isEmpty();
    assertThat(seg.getLevels()).isEmpty();
    assertThat(seg.getLevelFlags()).containsExactly(StudyResultWriter.NOT_ANALYSED);
  }

  @Test
  void aStudyThatNeverCompletesIsOneDeadLetterAfterTheRetention() {
    sendHeaderAndSummary("stuck", T0, "hh", false);
    sendSlice("stuck", 1, T0, 1);
    driver.advanceWallClockTime(RETENTION.minusMinutes(5));
    assertThat(deadletters.isEmpty()).isTrue();

    driver.advanceWallClockTime(Duration.ofMinutes(10));

    List<DeadLetter> letters = deadletters.readValuesToList();
    assertThat(letters).hasSize(1);
    assertThat(letters.get(0).getReasonCode()).isEqualTo("STUDY_INCOMPLETE");
    assertThat(letters.get(0).getField()).isEqualTo("slices[2]");
    assertThat(letters.get(0).getLimit()).contains("results.study.retention").contains("PT2H");
    // The rest of it, late, makes nothing more.
    sendSlice("stuck", 2, T0, 1);
    sendSlice("stuck", 3, T0, 1);
    assertThat(segmentations.isEmpty()).isTrue();
    assertThat(deadletters.isEmpty()).isTrue();
  }

  @Test
  void aStudyPreprocessRejectedIsDroppedAfterTheRetentionWithoutAnotherDeadLetter() {
    studies.pipeInput("rejected", Fixtures.study("rejected", T0, "ii", false));
    driver.advanceWallClockTime(RETENTION.plusMinutes(5));
    assertThat(deadletters.isEmpty()).isTrue();
    // Gone and marked done: its late summary and slices change nothing.
    summaries.pipeInput("rejected", Fixtures.summary("rejected", T0, EMITTED));
    for (int k : EMITTED) {
      sendSlice("rejected", k, T0, 1);
    }
    assertThat(segmentations.isEmpty()).isTrue();
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }
}
