package io.spineflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spineflow.events.DeadLetter;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.metaimage.MetaImageLimits;
import io.spineflow.imaging.metaimage.MetaImageReader;
import io.spineflow.imaging.metaimage.MetaImageWriter;
import io.spineflow.platform.volume.ClaimCheckStore;
import io.spineflow.schemas.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watched folder against a mock producer: what is taken when, and where files end up. */
class FolderWatcherTest {
  private static final Duration WAIT = Duration.ofMinutes(1);

  @TempDir Path dir;

  private final Topics topics = new Topics("", 1);
  private final MutableClock clock = new MutableClock();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private Path inbox;
  private MockProducer<String, byte[]> producer;
  private FolderWatcher watcher;

  @BeforeEach
  void setUp() throws IOException {
    inbox = dir.resolve("inbox");
    Files.createDirectories(inbox);
    producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    watcher = watcher(producer, Duration.ofSeconds(5));
  }

  private FolderWatcher watcher(MockProducer<String, byte[]> mock, Duration ackTimeout) {
    UploadPublisher publisher =
        new UploadPublisher(
            mock, topics, new ClaimCheckStore(dir.resolve("claims")), 1 << 20, ackTimeout);
    return new FolderWatcher(
        inbox,
        Duration.ofSeconds(1),
        WAIT,
        new StudyValidator(MetaImageLimits.DEFAULT, 1e-3),
        publisher,
        new IngestMetrics(registry),
        clock,
        new DicomIntake(
            new DicomInstances(io.spineflow.imaging.dicom.DicomLimits.DEFAULT),
            publisher,
            new Quarantine(dir.resolve("quarantine")),
            new IngestMetrics(registry)));
  }

  @Test
  void dicomFilesAreSentOneByOneOrRefusedWithAReason() throws IOException {
    Files.write(inbox.resolve("IM0001"), VendoredDicom.bytes("sag_t1_0001.dcm"));
    Files.write(inbox.resolve("ct.dcm"), VendoredDicom.bytes("CT_small.dcm"));

    watcher.scan();
    watcher.scan();

    List<ProducerRecord<String, byte[]>> sent = uploads();
    assertThat(sent)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.key()).isEqualTo(VendoredDicom.SAG_SERIES);
              assertThat(header(r, UploadHeaders.FORMAT)).isEqualTo("dicom");
              assertThat(header(r, UploadHeaders.SOURCE)).isEqualTo("DICOM");
              assertThat(header(r, UploadHeaders.SOURCE_NAME)).isEqualTo("IM0001");
            });
    assertThat(inbox.resolve("done/IM0001")).exists();
    assertThat(inbox.resolve("failed/ct.dcm")).exists();
    assertThat(Files.readString(inbox.resolve("failed/ct.dcm.reason.txt")))
        .contains("reasonCode: UNSUPPORTED_SOP_CLASS", "field: SOPClassUID (0008,0016)");
    assertThat(
            producer.history().stream().filter(r -> r.topic().equals(topics.deadletter().name())))
        .hasSize(1);
  }

  @Test
  void aSegmentationInTheFolderGoesUnderTheSeriesItLabels() throws IOException {
    Files.write(inbox.resolve("seg.dcm"), VendoredSeg.bytes(VendoredSeg.WITH_POSITIONS));
    Files.write(inbox.resolve("liver.dcm"), VendoredDicom.bytes("dcmqi_label_seg.dcm"));

    watcher.scan();
    watcher.scan();

    assertThat(uploads())
        .singleElement()
        .satisfies(r -> assertThat(r.key()).isEqualTo(VendoredDicom.SAG_SERIES));
    assertThat(inbox.resolve("done/seg.dcm")).exists();
    assertThat(Files.readString(inbox.resolve("failed/liver.dcm.reason.txt")))
        .contains(
            "reasonCode: SEGMENT_ANATOMY_UNKNOWN",
            "field: SegmentedPropertyTypeCodeSequence (0062,000F)");
  }

  @Test
  void aStableStudyWithItsMaskIsSentAndMovedToDone() throws IOException {
    Image image = TestVolumes.image(1);
    MetaImageWriter.write(image, inbox.resolve("case1_t2.mha"), MetaImageWriter.Compression.NONE);
    MetaImageWriter.write(
        TestVolumes.maskFor(image),
        inbox.resolve("case1_t2.mask.mha"),
        MetaImageWriter.Compression.ZLIB);
    byte[] imageBytes = Files.readAllBytes(inbox.resolve("case1_t2.mha"));

    watcher.scan();
    assertThat(producer.history()).as("first sighting: not yet stable").isEmpty();
    watcher.scan();

    List<ProducerRecord<String, byte[]>> sent = uploads();
    assertThat(sent).hasSize(2);
    assertThat(sent).extracting(ProducerRecord::key).containsOnly("case1_t2");
    assertThat(sent.get(0).value()).isEqualTo(imageBytes);
    assertThat(header(sent.get(0), UploadHeaders.PART)).isEqualTo("image");
    assertThat(header(sent.get(0), UploadHeaders.EXPECT_MASK)).isEqualTo("true");
    assertThat(header(sent.get(0), UploadHeaders.SEQUENCE)).isEqualTo("T2");
    assertThat(header(sent.get(0), UploadHeaders.SOURCE)).isEqualTo("FOLDER");
    assertThat(header(sent.get(0), UploadHeaders.SOURCE_NAME)).isEqualTo("case1_t2.mha");
    assertThat(header(sent.get(1), UploadHeaders.PART)).isEqualTo("mask");
    assertThat(inbox.resolve("done/case1_t2.mha")).exists();
    assertThat(inbox.resolve("done/case1_t2.mask.mha")).exists();
    assertThat(inbox.resolve("case1_t2.mha")).doesNotExist();

    watcher.scan();
    assertThat(producer.history()).as("taken once").hasSize(2);
  }

  @Test
  void aSidecarDeclarationTravelsWithItsStudyAndMovesToDone() throws IOException {
    Image image = TestVolumes.image(30);
    MetaImageWriter.write(image, inbox.resolve("ivd_t2.mha"), MetaImageWriter.Compression.NONE);
    MetaImageWriter.write(
        TestVolumes.maskFor(image),
        inbox.resolve("ivd_t2.mask.mha"),
        MetaImageWriter.Compression.NONE);
    watcher.scan();
    // The sidecar arrives after the image: the study waits until it is stable too.
    Files.writeString(inbox.resolve("ivd_t2.labels"), "classes: discs\nextent: labelled-span\n");
    watcher.scan();
    assertThat(uploads()).as("the sidecar is not yet stable").isEmpty();

    watcher.scan();

    List<ProducerRecord<String, byte[]>> sent = uploads();
    assertThat(sent).hasSize(2);
    assertThat(header(sent.get(0), UploadHeaders.LABEL_CLASSES)).isEqualTo("discs");
    assertThat(header(sent.get(0), UploadHeaders.LABEL_EXTENT)).isEqualTo("labelled-span");
    assertThat(header(sent.get(1), UploadHeaders.LABEL_CLASSES)).as("mask part").isNull();
    assertThat(inbox.resolve("done/ivd_t2.labels")).exists();
    assertThat(inbox.resolve("ivd_t2.labels")).doesNotExist();
  }

  @Test
  void aManifestRowDeclaresAndTheManifestStaysInTheFolder() throws IOException {
    Image image = TestVolumes.image(31);
    MetaImageWriter.write(image, inbox.resolve("7_t1.mha"), MetaImageWriter.Compression.NONE);
    MetaImageWriter.write(
        TestVolumes.maskFor(image),
        inbox.resolve("7_t1.mask.mha"),
        MetaImageWriter.Compression.NONE);
    Files.writeString(
        inbox.resolve("manifest.tsv"),
        "name\tlabelled\textent\n7_t1\tvertebral-bodies\twhole-image\n");

    watcher.scan();
    watcher.scan();

    assertThat(header(uploads().get(0), UploadHeaders.LABEL_CLASSES)).isEqualTo("vertebral-bodies");
    assertThat(header(uploads().get(0), UploadHeaders.LABEL_EXTENT)).isEqualTo("whole-image");
    assertThat(inbox.resolve("manifest.tsv")).exists();
  }

  @Test
  void aBadSidecarOrOneWithoutMaskFailsWithItsStudy() throws IOException {
    Image image = TestVolumes.image(32);
    MetaImageWriter.write(image, inbox.resolve("bad.mha"), MetaImageWriter.Compression.NONE);
    MetaImageWriter.write(
        TestVolumes.maskFor(image),
        inbox.resolve("bad.mask.mha"),
        MetaImageWriter.Compression.NONE);
    Files.writeString(inbox.resolve("bad.labels"), "classes: ribs\n");
    MetaImageWriter.write(image, inbox.resolve("lonely.mha"), MetaImageWriter.Compression.NONE);
    Files.writeString(inbox.resolve("lonely.labels"), "classes: discs\n");

    watcher.scan();
    watcher.scan();

    assertThat(uploads()).isEmpty();
    assertThat(deadLetters())
        .extracting(DeadLetter::getStudyUid, DeadLetter::getReasonCode, DeadLetter::getField)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("bad", "INVALID_LABEL_DECLARATION", "bad.labels"),
            org.assertj.core.groups.Tuple.tuple(
                "lonely", "INVALID_LABEL_DECLARATION", "lonely.labels"));
    assertThat(inbox.resolve("failed/bad.labels")).exists();
    assertThat(inbox.resolve("failed/bad.mask.mha")).exists();
    assertThat(inbox.resolve("failed/lonely.labels")).exists();
    assertThat(Files.readString(inbox.resolve("failed/bad.reason.txt"))).contains("ribs");
  }

  @Test
  void aFileStillBeingWrittenWaitsUntilItStopsChanging() throws IOException {
    byte[] bytes = TestVolumes.mha(TestVolumes.image(2));
    Path file = inbox.resolve("growing.mha");
    Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
    watcher.scan();
    Files.write(file, bytes);
    watcher.scan();
    assertThat(producer.history()).as("changed since the last scan").isEmpty();

    watcher.scan();

    assertThat(uploads()).extracting(ProducerRecord::key).containsExactly("growing");
    assertThat(uploads().get(0).value()).isEqualTo(bytes);
  }

  @Test
  void dotfilesPartialAndTemporaryFilesAreIgnored() throws IOException {
    byte[] bytes = TestVolumes.mha(TestVolumes.image(3));
    for (String name : List.of(".hidden.mha", "upload.mha.part", "upload.mha.tmp")) {
      Files.write(inbox.resolve(name), bytes);
    }
    watcher.scan();
    watcher.scan();
    assertThat(producer.history()).isEmpty();
    assertThat(inbox.resolve(".hidden.mha")).exists();
    assertThat(inbox.resolve("upload.mha.part")).exists();
  }

  @Test
  void aBadStudyMovesToFailedWithItsReasonAndADeadLetter() throws IOException {
    byte[] bytes = TestVolumes.mha(TestVolumes.image(4));
    Files.write(inbox.resolve("broken.mha"), Arrays.copyOf(bytes, bytes.length - 10));

    watcher.scan();
    watcher.scan();

    assertThat(uploads()).isEmpty();
    assertThat(inbox.resolve("failed/broken.mha")).exists();
    String reason = Files.readString(inbox.resolve("failed/broken.reason.txt"));
    assertThat(reason)
        .contains("reasonCode: TRUNCATED_DATA")
        .contains("field: ")
        .contains("limit: DimSize");
    DeadLetter letter = single(deadLetters());
    assertThat(letter.getReasonCode()).isEqualTo("TRUNCATED_DATA");
    assertThat(letter.getStudyUid()).isEqualTo("broken");
    assertThat(letter.getOriginalLocation())
        .isEqualTo(inbox.resolve("failed/broken.mha").toString());
    assertThat(registry.find("spineflow.ingest.studies.rejected").tag("door", "folder").counter())
        .isNotNull();
  }

  @Test
  void aMaskOffTheGridFailsWithItsImage() throws IOException {
    Image image = TestVolumes.image(5);
    MetaImageWriter.write(image, inbox.resolve("off.mha"), MetaImageWriter.Compression.NONE);
    MetaImageWriter.write(
        TestVolumes.shiftedMaskFor(image, 2.0),
        inbox.resolve("off.mask.mha"),
        MetaImageWriter.Compression.NONE);

    watcher.scan();
    watcher.scan();

    assertThat(inbox.resolve("failed/off.mha")).exists();
    assertThat(inbox.resolve("failed/off.mask.mha")).exists();
    DeadLetter letter = single(deadLetters());
    assertThat(letter.getReasonCode()).isEqualTo("GEOMETRY_MISMATCH");
    assertThat(letter.getOriginalLocation()).endsWith("failed/off.mask.mha");
  }

  @Test
  void aDetachedStudyIsSentAsTheEquivalentMhaAndItsDataFileMovesWithIt() throws IOException {
    Image image = TestVolumes.image(6);
    MetaImageWriter.write(
        image, inbox.resolve("detached_t1.mhd"), MetaImageWriter.Compression.ZLIB);
    assertThat(inbox.resolve("detached_t1.zraw")).exists();

    watcher.scan();
    watcher.scan();

    ProducerRecord<String, byte[]> sent = single(uploads());
    assertThat(sent.key()).isEqualTo("detached_t1");
    assertThat(new MetaImageReader().read(sent.value()).image().data()).isEqualTo(image.data());
    assertThat(inbox.resolve("done/detached_t1.mhd")).exists();
    assertThat(inbox.resolve("done/detached_t1.zraw")).exists();
  }

  @Test
  void aDataFileOutsideTheFolderIsRefused() throws IOException {
    Files.write(dir.resolve("secret.raw"), new byte[32]);
    Files.writeString(
        inbox.resolve("escape.mhd"),
        "ObjectType = Image\nNDims = 3\nDimSize = 4 4 1\nElementType = MET_USHORT\n"
            + "ElementDataFile = ../secret.raw\n");

    watcher.scan();
    watcher.scan();

    assertThat(uploads()).isEmpty();
    assertThat(inbox.resolve("failed/escape.mhd")).exists();
    assertThat(dir.resolve("secret.raw")).as("never moved or read").exists();
    DeadLetter letter = single(deadLetters());
    assertThat(letter.getReasonCode()).isEqualTo("DATA_FILE_OUTSIDE_DIRECTORY");
    assertThat(letter.getField()).isEqualTo("ElementDataFile");
  }

  @Test
  void aMaskWithoutItsImageIsRefusedAfterTheWait() throws IOException {
    MetaImageWriter.write(
        TestVolumes.maskFor(TestVolumes.image(7)),
        inbox.resolve("orphan.mask.mha"),
        MetaImageWriter.Compression.NONE);

    watcher.scan();
    watcher.scan();
    clock.advance(WAIT.minusSeconds(1));
    watcher.scan();
    assertThat(producer.history()).as("still waiting for its image").isEmpty();

    clock.advance(Duration.ofSeconds(2));
    watcher.scan();

    DeadLetter letter = single(deadLetters());
    assertThat(letter.getReasonCode()).isEqualTo("IMAGE_MISSING");
    assertThat(inbox.resolve("failed/orphan.mask.mha")).exists();
    assertThat(inbox.resolve("failed/orphan.reason.txt")).exists();
  }

  @Test
  void aNameThatIsNotAValidUidIsRefused() throws IOException {
    Files.write(inbox.resolve("has space.mha"), TestVolumes.mha(TestVolumes.image(8)));

    watcher.scan();
    watcher.scan();

    DeadLetter letter = single(deadLetters());
    assertThat(letter.getReasonCode()).isEqualTo("INVALID_STUDY_UID");
    assertThat(letter.getStudyUid()).isNull();
    assertThat(inbox.resolve("failed/has space.mha")).exists();
  }

  @Test
  void whenKafkaDoesNotAcknowledgeTheFilesStayForTheNextScan() throws IOException {
    MockProducer<String, byte[]> down =
        new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    down.sendException = new KafkaException("broker down");
    FolderWatcher unlucky = watcher(down, Duration.ofMillis(50));
    Files.write(inbox.resolve("later.mha"), TestVolumes.mha(TestVolumes.image(9)));

    unlucky.scan();
    unlucky.scan();
    unlucky.scan();

    assertThat(inbox.resolve("later.mha")).exists();
    assertThat(inbox.resolve("done/later.mha")).doesNotExist();

    watcher.scan();
    watcher.scan();
    assertThat(uploads()).extracting(ProducerRecord::key).containsExactly("later");
  }

  @Test
  void aStudyDroppedAgainIsKeptBesideTheFirst() throws IOException {
    byte[] bytes = TestVolumes.mha(TestVolumes.image(10));
    Files.write(inbox.resolve("again.mha"), bytes);
    watcher.scan();
    watcher.scan();
    Files.write(inbox.resolve("again.mha"), bytes);
    clock.advance(Duration.ofSeconds(1));
    watcher.scan();
    watcher.scan();

    assertThat(uploads()).hasSize(2);
    assertThat(inbox.resolve("done/again.mha")).exists();
    try (var entries = Files.list(inbox.resolve("done"))) {
      assertThat(entries.filter(Files::isDirectory).toList())
          .singleElement()
          .satisfies(d -> assertThat(d.resolve("again.mha")).exists());
    }
  }

  private List<ProducerRecord<String, byte[]>> uploads() {
    return producer.history().stream()
        .filter(r -> r.topic().equals(topics.studiesUpload().name()))
        .toList();
  }

  private List<DeadLetter> deadLetters() {
    return producer.history().stream()
        .filter(r -> r.topic().equals(topics.deadletter().name()))
        .map(
            r ->
                topics
                    .deadletter()
                    .valueSerde()
                    .deserializer()
                    .deserialize(r.topic(), r.headers(), r.value()))
        .toList();
  }

  private static String header(ProducerRecord<String, byte[]> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static <T> T single(List<T> values) {
    assertThat(values).hasSize(1);
    return values.get(0);
  }

  /** A clock the test moves by hand. */
  private static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2026-11-22T09:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
