package io.spineflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spineflow.events.AuditEvent;
import io.spineflow.events.DeadLetter;
import io.spineflow.events.DicomSourceImage;
import io.spineflow.events.DicomSourceSeries;
import io.spineflow.events.LabelExtent;
import io.spineflow.events.LabelledClass;
import io.spineflow.events.Sequence;
import io.spineflow.events.Study;
import io.spineflow.events.StudySource;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.ImageGeometry;
import io.spineflow.imaging.dicom.DataSet;
import io.spineflow.imaging.dicom.DicomReader;
import io.spineflow.imaging.dicom.DicomTag;
import io.spineflow.imaging.dicom.StudyAttributes;
import io.spineflow.platform.Settings;
import io.spineflow.platform.volume.ClaimCheckStore;
import io.spineflow.platform.volume.VolumeMapper;
import io.spineflow.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DICOM series in the ingest topology, without a broker: instances of the real sagittal series
 * collected per series, published once after the quiet period, duplicates dropped, late instances
 * making a new revision, bad instances one dead letter each, skipped series audited.
 */
class DicomSeriesTopologyTest {
  private static final Instant T0 = Instant.parse("2026-12-06T08:00:00Z");
  private static final Duration QUIET = Duration.ofSeconds(30);

  @TempDir Path dir;

  private final Topics topics = new Topics("", 1);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private ClaimCheckStore claims;
  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> upload;
  private TestOutputTopic<String, Study> studies;
  private TestOutputTopic<String, DeadLetter> deadletters;
  private TestOutputTopic<String, AuditEvent> audit;

  @BeforeEach
  void start() {
    IngestConfig config =
        IngestConfig.from(
            Settings.of(
                Map.of(
                    "ingest.token", "test-token-0123456789",
                    "ingest.dicom.series.quiet", QUIET.toSeconds() + "s",
                    "ingest.dicom.series.retention", "1h")),
            dir);
    claims = new ClaimCheckStore(config.claimsDir());
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "ingest-dicom-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    driver =
        new TopologyTestDriver(
            IngestTopology.buildTopology(config, topics, claims, new IngestMetrics(registry)),
            props,
            T0);
    upload =
        driver.createInputTopic(
            topics.studiesUpload().name(), new StringSerializer(), new ByteArraySerializer());
    studies =
        driver.createOutputTopic(
            topics.studies().name(),
            new StringDeserializer(),
            topics.studies().valueSerde().deserializer());
    deadletters =
        driver.createOutputTopic(
            topics.deadletter().name(),
            new StringDeserializer(),
            topics.deadletter().valueSerde().deserializer());
    audit =
        driver.createOutputTopic(
            topics.audit().name(),
            new StringDeserializer(),
            topics.audit().valueSerde().deserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  private void send(String key, byte[] instance) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(UploadHeaders.FORMAT, "dicom".getBytes(StandardCharsets.UTF_8));
    upload.pipeInput(new TestRecord<>(key, instance, headers, T0));
  }

  private void sendSeries(int... numbers) {
    for (byte[] b : VendoredDicom.sagittal(numbers)) {
      send(VendoredDicom.SAG_SERIES, b);
    }
  }

  private void quiet() {
    driver.advanceWallClockTime(QUIET.plusSeconds(6));
  }

  @Test
  void aSeriesIsOneStudyAfterTheQuietPeriodWithTheReadersVoxels() throws Exception {
    sendSeries(5, 3, 1, 2, 4, 8, 6, 7);
    driver.advanceWallClockTime(QUIET.minusSeconds(10));
    assertThat(studies.isEmpty()).as("not before the quiet period").isTrue();

    quiet();

    List<TestRecord<String, Study>> out = studies.readRecordsToList();
    assertThat(out).hasSize(1);
    Study study = out.get(0).value();
    assertThat(out.get(0).key()).isEqualTo(VendoredDicom.SAG_SERIES);
    assertThat(study.getStudyUid()).isEqualTo(VendoredDicom.SAG_SERIES);
    assertThat(study.getSource()).isEqualTo(StudySource.DICOM);
    assertThat(study.getSequence()).isEqualTo(Sequence.T1); // t1_fl2d_sag
    assertThat(study.getSourceName()).isNull();
    Image image = new VolumeMapper(claims, Integer.MAX_VALUE).toImage(study.getImage());
    ImageGeometry g = image.geometry();
    assertThat(g.size()).containsExactly(256, 256, 8);
    assertThat(g.spacing()[2]).isCloseTo(4.8, org.assertj.core.api.Assertions.within(1e-4));
    assertThat(g.origin()).containsExactly(-48, -130, 130);
    // Slice z is instance 8 - z, voxel for voxel as the reader decodes it.
    DicomReader reader = new DicomReader();
    for (int z = 0; z < 8; z++) {
      float[] frame =
          reader
              .read(VendoredDicom.bytes("sag_t1_000" + (8 - z) + ".dcm"))
              .frames()
              .get(0)
              .values();
      for (int i = 0; i < frame.length; i += 97) {
        assertThat(image.voxel((long) z * frame.length + i)).isEqualTo(frame[i]);
      }
    }
    assertThat(deadletters.isEmpty()).isTrue();
  }

  @Test
  void theStudyNamesItsSeriesAndEachSlicesImageForItsResults() throws Exception {
    sendSeries(5, 3, 1, 2, 4, 8, 6, 7);
    quiet();

    DicomSourceSeries source = studies.readValue().getDicomSource();
    DicomReader reader = new DicomReader();
    DataSet first = reader.readFile(VendoredDicom.bytes("sag_t1_0001.dcm")).dataset();
    assertThat(source.getSeriesInstanceUid()).isEqualTo(VendoredDicom.SAG_SERIES);
    assertThat(source.getStudyInstanceUid()).isEqualTo(first.string(DicomTag.STUDY_INSTANCE_UID));
    assertThat(source.getFrameOfReferenceUid())
        .isEqualTo(first.string(DicomTag.FRAME_OF_REFERENCE_UID));
    // Slice z is instance 8 - z (as the voxels above).
    assertThat(source.getSlices()).hasSize(8);
    for (int z = 0; z < 8; z++) {
      DataSet instance =
          reader.readFile(VendoredDicom.bytes("sag_t1_000" + (8 - z) + ".dcm")).dataset();
      DicomSourceImage image = source.getSlices().get(z);
      assertThat(image.getSopInstanceUid()).isEqualTo(instance.string(DicomTag.SOP_INSTANCE_UID));
      assertThat(image.getSopClassUid()).isEqualTo(instance.string(DicomTag.SOP_CLASS_UID));
      assertThat(image.getFrameNumber()).isZero();
    }
    // The patient's attributes are in the claim-check store, byte for byte, not in the event.
    DataSet attributes = StudyAttributes.decode(claims.get(source.getPatientAndStudy()));
    assertThat(attributes.get(DicomTag.PATIENT_ID).value())
        .isEqualTo(first.get(DicomTag.PATIENT_ID).value());
    assertThat(attributes.get(DicomTag.STUDY_DATE).value())
        .isEqualTo(first.get(DicomTag.STUDY_DATE).value());
  }

  @Test
  void reSentInstancesMakeNoDuplicateAndALateInstanceANewRevision() {
    sendSeries(1, 2, 3, 4, 5, 6, 7);
    quiet();
    Study first = studies.readValue();
    assertThat(first.getImage().getSize()).containsExactly(256, 256, 7);

    sendSeries(1, 2, 3, 4, 5, 6, 7); // the same instances again
    quiet();
    assertThat(studies.isEmpty()).as("no duplicate").isTrue();
    assertThat(counter("spineflow.ingest.duplicates")).isEqualTo(7);

    sendSeries(8); // a late instance
    quiet();
    List<Study> revisions = studies.readValuesToList();
    assertThat(revisions).hasSize(1);
    assertThat(revisions.get(0).getImage().getSize()).containsExactly(256, 256, 8);
    assertThat(revisions.get(0).getContentSha256()).isNotEqualTo(first.getContentSha256());
    assertThat(deadletters.isEmpty()).isTrue();
  }

  @Test
  void aBadInstanceIsOneDeadLetterAndTheSeriesGoesOnWithoutIt() {
    byte[] truncated = VendoredDicom.bytes("sag_t1_0004.dcm");
    truncated = Arrays.copyOf(truncated, truncated.length - 5000);
    sendSeries(1, 2, 3);
    send(VendoredDicom.SAG_SERIES, truncated);
    send("1.2.840.113619.2.1.1.322987881.621.736170080.681", VendoredDicom.bytes("CT_small.dcm"));
    quiet();

    List<DeadLetter> letters = deadletters.readValuesToList();
    assertThat(letters)
        .extracting(DeadLetter::getReasonCode)
        .containsExactlyInAnyOrder("TRUNCATED_DATA", "UNSUPPORTED_SOP_CLASS");
    assertThat(studies.readValuesToList())
        .singleElement()
        .satisfies(s -> assertThat(s.getImage().getSize()).containsExactly(256, 256, 3));
  }

  @Test
  void aGapInTheSeriesIsOneDeadLetterNamingTheMissingPositionUntilItIsFilled() {
    sendSeries(1, 2, 3, 5, 6);
    quiet();
    DeadLetter letter = deadletters.readValue();
    assertThat(letter.getReasonCode()).isEqualTo("SERIES_MISSING_POSITION");
    assertThat(letter.getField()).isEqualTo("ImagePositionPatient (0020,0032)");
    assertThat(letter.getMessage()).contains("(-67.200, -130.000, 130.000)");
    assertThat(studies.isEmpty()).isTrue();

    sendSeries(4);
    quiet();
    assertThat(studies.readValue().getImage().getSize()).containsExactly(256, 256, 6);
  }

  @Test
  void aDerivedAxialSeriesIsSkippedAndAuditedNotDeadLettered() {
    for (int n = 1; n <= 4; n++) {
      send(VendoredDicom.ADC_SERIES, VendoredDicom.bytes("adc_axial_000" + n + ".dcm"));
    }
    quiet();

    assertThat(studies.isEmpty()).isTrue();
    assertThat(deadletters.isEmpty()).isTrue();
    AuditEvent event = audit.readValue();
    assertThat(event.getSubject()).isEqualTo(VendoredDicom.ADC_SERIES);
    assertThat(event.getDetails()).containsEntry("skipped", "DERIVED");
    assertThat(counter("spineflow.ingest.dicom.series.skipped")).isEqualTo(1);
  }

  @Test
  void anInstanceUnderAnotherKeyIsRefused() {
    send("1.2.3", VendoredDicom.bytes("sag_t1_0001.dcm"));

    assertThat(deadletters.readValue().getReasonCode()).isEqualTo("SERIES_KEY_MISMATCH");
  }

  @Test
  void noPatientAttributeReachesTheEvents() {
    sendSeries(1, 2, 3);
    quiet();
    String text = studies.readValue().toString() + deadletters.readValuesToList();
    // dcm_qa's anonymised patient attributes (pydicom: PatientName, PatientID).
    DicomReader reader = new DicomReader();
    try {
      var data = reader.readFile(VendoredDicom.bytes("sag_t1_0001.dcm")).dataset();
      for (var tag :
          List.of(
              io.spineflow.imaging.dicom.DicomTag.PATIENT_NAME,
              io.spineflow.imaging.dicom.DicomTag.PATIENT_ID)) {
        String value = data.string(tag);
        if (value != null && value.length() > 2) {
          assertThat(text).doesNotContain(value);
        }
      }
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  // A hospital's labels: a DICOM Segmentation (SEG) of the series, under the series' key.

  private void sendSeg(String name) {
    send(VendoredDicom.SAG_SERIES, VendoredSeg.bytes(name));
  }

  private Image labelOf(Study study) {
    return new VolumeMapper(claims, Integer.MAX_VALUE).toImage(study.getLabel());
  }

  private static void assertLabelledBySeg(Study study) {
    assertThat(study.getLabel()).isNotNull();
    assertThat(study.getLabelCoverage()).isNotNull();
    assertThat(study.getLabelCoverage().getClasses())
        .containsExactlyInAnyOrder(LabelledClass.VERTEBRAE, LabelledClass.DISCS);
    assertThat(study.getLabelCoverage().getExtent()).isEqualTo(LabelExtent.LABELLED_SPAN);
    assertThat(study.getLabelCoverage().getExtentMarginMm()).isZero();
  }

  @Test
  void aSegSentWithItsSeriesLabelsTheOneStudy() {
    sendSeries(1, 2, 3, 4);
    sendSeg(VendoredSeg.WITH_POSITIONS);
    sendSeries(5, 6, 7, 8);
    quiet();

    List<Study> out = studies.readValuesToList();
    assertThat(out).as("one study, labelled").hasSize(1);
    Study study = out.get(0);
    assertLabelledBySeg(study);
    Image label = labelOf(study);
    assertThat(
            label
                .geometry()
                .sameGrid(
                    new VolumeMapper(claims, Integer.MAX_VALUE)
                        .toImage(study.getImage())
                        .geometry(),
                    1e-4))
        .isTrue();
    VendoredSeg.assertLabelIs(label, VendoredSeg.WITH_POSITIONS);
    assertThat(deadletters.isEmpty()).isTrue();
  }

  @Test
  void aSegBeforeItsSeriesWaitsForIt() {
    sendSeg(VendoredSeg.WITHOUT_POSITIONS);
    quiet();
    assertThat(studies.isEmpty()).as("no study without its series").isTrue();
    assertThat(deadletters.isEmpty()).isTrue();

    sendSeries(8, 7, 6, 5, 4, 3, 2, 1);
    quiet();

    List<Study> out = studies.readValuesToList();
    assertThat(out).hasSize(1);
    assertLabelledBySeg(out.get(0));
    // Frames without Plane Position are placed by their source images.
    VendoredSeg.assertLabelIs(labelOf(out.get(0)), VendoredSeg.WITHOUT_POSITIONS);
  }

  @Test
  void aSegAfterPublicationIsANewRevisionAndItsResendNothing() {
    sendSeries(1, 2, 3, 4, 5, 6, 7, 8);
    quiet();
    Study unlabelled = studies.readValue();
    assertThat(unlabelled.getLabel()).isNull();
    assertThat(unlabelled.getLabelCoverage()).isNull();

    sendSeg(VendoredSeg.WITH_POSITIONS);
    quiet();
    List<Study> revisions = studies.readValuesToList();
    assertThat(revisions).hasSize(1);
    Study labelled = revisions.get(0);
    assertThat(labelled.getStudyUid()).isEqualTo(VendoredDicom.SAG_SERIES);
    assertThat(labelled.getContentSha256()).isNotEqualTo(unlabelled.getContentSha256());
    assertLabelledBySeg(labelled);
    VendoredSeg.assertLabelIs(labelOf(labelled), VendoredSeg.WITH_POSITIONS);

    double duplicates = counter("spineflow.ingest.duplicates");
    sendSeg(VendoredSeg.WITH_POSITIONS);
    sendSeries(3);
    quiet();
    assertThat(studies.isEmpty()).as("no duplicate").isTrue();
    assertThat(counter("spineflow.ingest.duplicates")).isEqualTo(duplicates + 2);

    // A corrected SEG (here: the same labels without positions, other bytes) replaces the first.
    sendSeg(VendoredSeg.WITHOUT_POSITIONS);
    quiet();
    Study corrected = studies.readValue();
    assertThat(corrected.getContentSha256()).isNotEqualTo(labelled.getContentSha256());
    VendoredSeg.assertLabelIs(labelOf(corrected), VendoredSeg.WITHOUT_POSITIONS);
    assertThat(deadletters.isEmpty()).isTrue();
  }

  @Test
  void aSegOffTheSeriesGridIsOneDeadLetterAndTheSeriesIsPublishedUnlabelled() {
    // Slices 1-4 only: the SEG's frames on source slices 5-7 lie off the assembled volume.
    sendSeries(1, 2, 3, 4);
    sendSeg(VendoredSeg.WITH_POSITIONS);
    quiet();

    DeadLetter letter = deadletters.readValue();
    assertThat(letter.getReasonCode()).isEqualTo("SEGMENTATION_GRID_MISMATCH");
    assertThat(letter.getField()).isEqualTo("ImagePositionPatient (0020,0032)");
    assertThat(letter.getLimit()).contains("ingest.dicom.geometry.tolerance");
    assertThat(letter.getStudyUid()).isEqualTo(VendoredDicom.SAG_SERIES);
    Study study = studies.readValue();
    assertThat(study.getLabel()).isNull();
    assertThat(study.getImage().getSize()).containsExactly(256, 256, 4);

    // The series changes: a new revision, still unlabelled, and no second dead letter.
    sendSeries(5);
    quiet();
    assertThat(studies.readValue().getLabel()).isNull();
    assertThat(deadletters.isEmpty()).isTrue();
  }

  @Test
  void aSegOfUnknownAnatomyIsRefusedAtOnce() {
    byte[] liver = VendoredDicom.bytes("dcmqi_label_seg.dcm");
    String series = DicomInstances.seriesKeyOf(readFile(liver));
    send(series, liver);

    DeadLetter letter = deadletters.readValue();
    assertThat(letter.getReasonCode()).isEqualTo("SEGMENT_ANATOMY_UNKNOWN");
    assertThat(letter.getField()).isEqualTo("SegmentedPropertyTypeCodeSequence (0062,000F)");
    assertThat(letter.getLimit()).contains("CID 7603");
    assertThat(deadletters.isEmpty()).isTrue();
  }

  @Test
  void aSegUnderItsOwnSeriesUidIsRefused() {
    byte[] seg = VendoredSeg.bytes(VendoredSeg.WITH_POSITIONS);
    send(
        readFile(seg).dataset().string(io.spineflow.imaging.dicom.DicomTag.SERIES_INSTANCE_UID),
        seg);

    DeadLetter letter = deadletters.readValue();
    assertThat(letter.getReasonCode()).isEqualTo("SERIES_KEY_MISMATCH");
    assertThat(letter.getLimit()).isEqualTo("the Segmentation's Referenced Series Instance UID");
  }

  @Test
  void aSegWhoseSeriesNeverComesIsOneDeadLetterAfterTheRetention() {
    sendSeg(VendoredSeg.WITH_POSITIONS);
    quiet();
    assertThat(deadletters.isEmpty()).isTrue();

    driver.advanceWallClockTime(Duration.ofHours(1));
    driver.advanceWallClockTime(Duration.ofMinutes(1));

    DeadLetter letter = deadletters.readValue();
    assertThat(letter.getReasonCode()).isEqualTo("SEGMENTATION_SERIES_MISSING");
    assertThat(letter.getField()).isEqualTo("ReferencedSeriesSequence (0008,1115)");
    assertThat(letter.getLimit()).contains("ingest.dicom.series.retention (PT1H)");
    assertThat(deadletters.isEmpty()).isTrue();
    assertThat(studies.isEmpty()).isTrue();
    driver.advanceWallClockTime(Duration.ofHours(2));
    assertThat(deadletters.isEmpty()).as("once").isTrue();
  }

  @Test
  void aSegOfASkippedSeriesIsOneDeadLetter() {
    for (byte[] b : VendoredDicom.sagittal(1, 2, 3, 4, 5, 6, 7, 8)) {
      send(VendoredDicom.SAG_SERIES, VendoredDicom.withImageType(b, "DERIVED\\SECONDARY"));
    }
    quiet();
    assertThat(audit.readValue().getDetails()).containsEntry("skipped", "DERIVED");

    sendSeg(VendoredSeg.WITH_POSITIONS);
    quiet();

    DeadLetter letter = deadletters.readValue();
    assertThat(letter.getReasonCode()).isEqualTo("SEGMENTATION_SERIES_MISSING");
    assertThat(letter.getLimit()).isEqualTo("a series spineflow publishes (sagittal original MR)");
    assertThat(deadletters.isEmpty()).isTrue();
    assertThat(studies.isEmpty()).isTrue();
  }

  private static io.spineflow.imaging.dicom.DicomFile readFile(byte[] bytes) {
    try {
      return new DicomReader().readFile(bytes);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private double counter(String name) {
    return registry.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
  }
}
