package io.spineflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spineflow.imaging.dicom.DataSet;
import io.spineflow.imaging.dicom.Deidentifier;
import io.spineflow.imaging.dicom.DicomInstanceSink.Outcome;
import io.spineflow.imaging.dicom.DicomInstanceSink.ReceivedInstance;
import io.spineflow.imaging.dicom.DicomLimits;
import io.spineflow.imaging.dicom.DicomReader;
import io.spineflow.imaging.dicom.DicomTag;
import io.spineflow.platform.ConfigException;
import io.spineflow.platform.Settings;
import io.spineflow.platform.volume.ClaimCheckStore;
import io.spineflow.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The de-identifying decorator around the real DICOM intake, with the vendored real instances and
 * Kafka's mock producer: what reaches {@code studies.upload} and the dead letters, and the mapping
 * file.
 */
class DeidentifyingIntakeTest {
  private static final String SECRET = "0123456789abcdef-operator-secret";
  private static final DicomReader READER = new DicomReader();

  @TempDir Path dir;

  private final Topics topics = new Topics("", 1);
  private MockProducer<String, byte[]> producer;
  private DicomIntake intake;

  @BeforeEach
  void setUp() {
    producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    UploadPublisher publisher =
        new UploadPublisher(
            producer,
            topics,
            new ClaimCheckStore(dir.resolve("claims")),
            64 << 20,
            Duration.ofSeconds(5));
    IngestMetrics metrics = new IngestMetrics(new SimpleMeterRegistry());
    intake =
        new DicomIntake(
            new DicomInstances(DicomLimits.DEFAULT),
            publisher,
            new Quarantine(dir.resolve("quarantine")),
            metrics);
  }

  private DicomIntakeSink sink(Map<String, String> values) {
    return DeidentifyingIntake.wrap(
        intake, READER, DeidentificationConfig.from(Settings.of(values)));
  }

  @Test
  void everyInstanceReachesKafkaPseudonymisedAndTheMapGetsEachPairOnce() throws Exception {
    Path map = dir.resolve("private");
    Files.createDirectories(map);
    DicomIntakeSink sink =
        sink(
            Map.of(
                "ingest.dicom.deidentify",
                "true",
                "ingest.dicom.deidentify.secret",
                SECRET,
                "ingest.dicom.pseudonym.map",
                map.toString()));
    byte[][] sag = VendoredDicom.sagittal(1, 2, 3);
    for (byte[] instance : sag) {
      assertThat(sink.store(new ReceivedInstance(instance, ReceivedInstance.Door.STOW_RS, "a")))
          .isEqualTo(Outcome.accepted());
    }
    sink.store(new ReceivedInstance(sag[0], ReceivedInstance.Door.DIMSE, "AE")); // a re-send

    Deidentifier expected = new Deidentifier(SECRET.getBytes(StandardCharsets.UTF_8), READER);
    String pseudonymousSeries = expected.uid(VendoredDicom.SAG_SERIES);
    DataSet original = READER.readFile(sag[0]).dataset();
    List<ProducerRecord<String, byte[]>> sent = producer.history();
    assertThat(sent).hasSize(4);
    for (ProducerRecord<String, byte[]> record : sent) {
      assertThat(record.key()).isEqualTo(pseudonymousSeries);
      String bytes = new String(record.value(), StandardCharsets.ISO_8859_1);
      assertThat(bytes)
          .doesNotContain(original.string(DicomTag.PATIENT_ID))
          .doesNotContain(VendoredDicom.SAG_SERIES)
          .doesNotContain(original.string(DicomTag.STUDY_INSTANCE_UID));
    }
    assertThat(sent.get(3).value()).isEqualTo(sent.get(0).value());

    Path file = map.resolve("pseudonyms.tsv");
    List<String> lines = Files.readAllLines(file);
    assertThat(lines)
        .filteredOn(l -> l.endsWith("\t" + VendoredDicom.SAG_SERIES + "\t" + pseudonymousSeries))
        .hasSize(1);
    assertThat(lines)
        .anyMatch(
            l ->
                l.contains("\tPatientID\t" + original.string(DicomTag.PATIENT_ID) + "\t")
                    && l.endsWith(expected.patientId(original.string(DicomTag.PATIENT_ID))));
    assertThat(lines.stream().distinct()).hasSameSizeAs(lines);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void anInstanceThatCannotBeDeidentifiedIsRefusedWithoutItsSeriesUidInTheDeadLetter()
      throws Exception {
    DicomIntakeSink sink =
        sink(Map.of("ingest.dicom.deidentify", "true", "ingest.dicom.deidentify.secret", SECRET));
    byte[] bigEndian = VendoredDicom.bytes("MR_small_bigendian.dcm");
    String series = READER.readFile(bigEndian).dataset().string(DicomTag.SERIES_INSTANCE_UID);

    Outcome outcome =
        sink.store(new ReceivedInstance(bigEndian, ReceivedInstance.Door.STOW_RS, "a"));

    assertThat(outcome.status()).isEqualTo(Outcome.Status.REFUSED);
    assertThat(outcome.reasonCode()).isEqualTo("UNSUPPORTED_TRANSFER_SYNTAX");
    assertThat(producer.history()).hasSize(1);
    ProducerRecord<String, byte[]> letter = producer.history().get(0);
    assertThat(letter.topic()).isEqualTo(topics.deadletter().name());
    assertThat(letter.key()).isNotEqualTo(series);
    assertThat(new String(letter.value(), StandardCharsets.ISO_8859_1)).doesNotContain(series);
  }

  @Test
  void aSegmentationKeepsPointingAtItsDeidentifiedSeries() throws Exception {
    DicomIntakeSink sink =
        sink(Map.of("ingest.dicom.deidentify", "true", "ingest.dicom.deidentify.secret", SECRET));
    byte[][] sag = VendoredDicom.sagittal(3, 4, 5, 6, 7);
    for (byte[] instance : sag) {
      sink.store(new ReceivedInstance(instance, ReceivedInstance.Door.DIMSE, "AE"));
    }
    Outcome outcome =
        sink.store(
            new ReceivedInstance(
                VendoredSeg.bytes(VendoredSeg.WITHOUT_POSITIONS),
                ReceivedInstance.Door.DIMSE,
                "AE"));

    assertThat(outcome).isEqualTo(Outcome.accepted());
    List<ProducerRecord<String, byte[]>> sent = producer.history();
    assertThat(sent).hasSize(6);
    String pseudonymousSeries =
        new Deidentifier(SECRET.getBytes(StandardCharsets.UTF_8), READER)
            .uid(VendoredDicom.SAG_SERIES);
    assertThat(sent).allSatisfy(r -> assertThat(r.key()).isEqualTo(pseudonymousSeries));
    // Its frames' source images are the de-identified instances, as sent.
    var seg =
        io.spineflow.imaging.dicom.SegmentationObject.read(
            READER.readFile(sent.get(5).value()), DicomLimits.DEFAULT);
    assertThat(seg.referencedSeriesUid()).isEqualTo(pseudonymousSeries);
    List<String> sops = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      sops.add(READER.readFile(sent.get(i).value()).dataset().string(DicomTag.SOP_INSTANCE_UID));
    }
    assertThat(seg.frames())
        .extracting(io.spineflow.imaging.dicom.SegmentationObject.Frame::sourceSopInstanceUid)
        .isSubsetOf(sops)
        .containsAll(sops);
  }

  @Test
  void offByDefaultAndTheSecretIsRequiredWhenOn() throws Exception {
    assertThat(sink(Map.of())).isSameAs(intake);
    assertThatThrownBy(() -> sink(Map.of("ingest.dicom.deidentify", "true")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ingest.dicom.deidentify.secret");
    assertThatThrownBy(
            () ->
                sink(
                    Map.of(
                        "ingest.dicom.deidentify",
                        "true",
                        "ingest.dicom.deidentify.secret",
                        "file:" + dir.resolve("absent"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ingest.dicom.deidentify.secret");

    Path key = Files.writeString(dir.resolve("key"), SECRET + "\n");
    DicomIntakeSink fromFile =
        sink(
            Map.of(
                "ingest.dicom.deidentify",
                "true",
                "ingest.dicom.deidentify.secret",
                "file:" + key));
    fromFile.store(
        new ReceivedInstance(
            VendoredDicom.bytes("sag_t1_0001.dcm"), ReceivedInstance.Door.PUSH, "x"));
    assertThat(producer.history().get(0).key())
        .isEqualTo(
            new Deidentifier(SECRET.getBytes(StandardCharsets.UTF_8), READER)
                .uid(VendoredDicom.SAG_SERIES));
  }
}
