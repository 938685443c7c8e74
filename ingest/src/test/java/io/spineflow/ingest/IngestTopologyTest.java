package io.spineflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spineflow.events.ClaimCheck;
import io.spineflow.events.DeadLetter;
import io.spineflow.events.InlineVoxels;
import io.spineflow.events.Sequence;
import io.spineflow.events.Study;
import io.spineflow.events.StudySource;
import io.spineflow.imaging.Image;
import io.spineflow.platform.Settings;
import io.spineflow.platform.volume.ClaimCheckStore;
import io.spineflow.platform.volume.VolumeMapper;
import io.spineflow.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ingest topology without a broker: what each kind of upload turns into. */
class IngestTopologyTest {
  private static final String TOKEN = "test-token-0123456789";
  private static final Instant T0 = Instant.parse("2026-11-22T08:00:00Z");
  private static final int INLINE_LIMIT = 4096;

  @TempDir Path dir;

  private final Topics topics = new Topics("", 1);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private IngestConfig config;
  private ClaimCheckStore claims;
  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> upload;
  private TestOutputTopic<String, Study> studies;
  private TestOutputTopic<String, DeadLetter> deadletters;

  @BeforeEach
  void start() {
    config =
        IngestConfig.from(
            Settings.of(
                Map.of(
                    "ingest.token",
                    TOKEN,
                    "ingest.pairing.timeout",
                    "1m",
                    "ingest.study.inline.max.bytes",
                    Integer.toString(INLINE_LIMIT))),
            dir);
    claims = new ClaimCheckStore(config.claimsDir());
    Topology topology =
        IngestTopology.buildTopology(config, topics, claims, new IngestMetrics(registry));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "ingest-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    driver = new TopologyTestDriver(topology, props, T0);
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
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @Test
  void aValidImageBecomesOneStudyWithItsVoxelsAndMetadata() {
    Image image = TestVolumes.image(1);
    byte[] bytes = TestVolumes.mha(image);

    send("study-1", bytes, headers("T2", null, null, "study-1_t2.mha"));

    List<TestRecord<String, Study>> out = studies.readRecordsToList();
    assertThat(out).hasSize(1);
    Study study = out.get(0).value();
    assertThat(out.get(0).key()).isEqualTo("study-1");
    assertThat(study.getStudyUid()).isEqualTo("study-1");
    assertThat(study.getSequence()).isEqualTo(Sequence.T2);
    assertThat(study.getSource()).isEqualTo(StudySource.TOPIC);
    assertThat(study.getSourceName()).isEqualTo("study-1_t2.mha");
    assertThat(study.getContentSha256()).isEqualTo(ContentHash.of(bytes, null));
    assertThat(study.getReceivedAt()).isEqualTo(T0);
    assertThat(study.getLabel()).isNull();
    assertThat(study.getImage().getVoxels()).isInstanceOf(InlineVoxels.class);
    Image back = new VolumeMapper(claims, INLINE_LIMIT).toImage(study.getImage());
    assertThat(back.data()).isEqualTo(image.data());
    // Within 1e-6, not equal: Avro 1.12.0 decodes array<double> at float precision (AVRO-4108,
    // fixed in 1.12.1); with avro.version 1.12.1 this can be isEqualTo.
    assertThat(back.geometry().sameGrid(image.geometry(), 1e-6)).isTrue();
    assertThat(out.get(0).headers().lastHeader(UploadHeaders.PART))
        .as("upload headers do not leak into studies")
        .isNull();
    assertThat(deadletters.isEmpty()).isTrue();
    assertThat(counter("spineflow.ingest.studies.accepted")).isEqualTo(1);
  }

  @Test
  void imageAndMaskArePairedInEitherOrder() {
    Image image = TestVolumes.image(2);
    Image mask = TestVolumes.maskFor(image);

    send("pair-a", TestVolumes.mha(image), headers("T1", "image", "true", null));
    assertThat(studies.isEmpty()).as("the image waits for its mask").isTrue();
    send("pair-a", TestVolumes.mha(mask), headers(null, "mask", null, null));

    send("pair-b", TestVolumes.mha(mask), headers(null, "mask", null, null));
    send("pair-b", TestVolumes.mha(image), headers("T1", "image", "true", null));

    List<Study> out = studies.readValuesToList();
    assertThat(out).extracting(Study::getStudyUid).containsExactly("pair-a", "pair-b");
    for (Study study : out) {
      assertThat(study.getSequence()).isEqualTo(Sequence.T1);
      assertThat(study.getContentSha256())
          .isEqualTo(ContentHash.of(TestVolumes.mha(image), TestVolumes.mha(mask)));
      Image label = new VolumeMapper(claims, INLINE_LIMIT).toImage(study.getLabel());
      assertThat(label.data()).isEqualTo(mask.data());
    }
    assertThat(deadletters.isEmpty()).isTrue();
  }

  @Test
  void anUnchangedResendAfterTheDedupRetentionIsANewRevision() {
    byte[] bytes = TestVolumes.mha(TestVolumes.image(6));
    send("later", bytes, headers(null, null, null, null));
    driver.advanceWallClockTime(java.time.Duration.ofDays(29));
    send("later", bytes, headers(null, null, null, null));
    assertThat(studies.readValuesToList()).hasSize(1);
    assertThat(counter("spineflow.ingest.duplicates")).isEqualTo(1);

    // dedup.retention (30 days) after it was accepted, the store has forgotten the study.
    driver.advanceWallClockTime(java.time.Duration.ofDays(2));
    assertThat(driver.getKeyValueStore(IngestTopology.SEEN_STORE).get("later")).isNull();
    send("later", bytes, headers(null, null, null, null));
    assertThat(studies.readValuesToList())
        .extracting(Study::getContentSha256)
        .containsExactly(ContentHash.of(bytes, null));
    assertThat(counter("spineflow.ingest.duplicates")).isEqualTo(1);
  }

  @Test
  void aDuplicateIsNotPublishedAgainButNewContentIsANewRevision() {
    byte[] first = TestVolumes.mha(TestVolumes.image(3));
    byte[] second = TestVolumes.mha(TestVolumes.image(4));
    Image pairImage = TestVolumes.image(5);
    byte[] pairMask = TestVolumes.mha(TestVolumes.maskFor(pairImage));

    send("dup", first, headers(null, null, null, null));
    send("dup", first, headers(null, null, null, null));
    send("dup", second, headers(null, null, null, null));
    for (int i = 0; i < 2; i++) {
      send("dup-pair", TestVolumes.mha(pairImage), headers(null, "image", "true", null));
      send("dup-pair", pairMask, headers(null, "mask", null, null));
    }

    List<Study> out = studies.readValuesToList();
    assertThat(out)
        .extracting(Study::getStudyUid, Study::getContentSha256)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("dup", ContentHash.of(first, null)),
            org.assertj.core.groups.Tuple.tuple("dup", ContentHash.of(second, null)),
            org.assertj.core.groups.Tuple.tuple(
                "dup-pair", ContentHash.of(TestVolumes.mha(pairImage), pairMask)));
    assertThat(deadletters.isEmpty()).isTrue();
    assertThat(counter("spineflow.ingest.duplicates")).isEqualTo(2);
  }

  @Test
  void aTruncatedImageIsDeadLetteredWithTheCodecsReasonFieldAndLimit() {
    byte[] bytes = TestVolumes.mha(TestVolumes.image(6));
    byte[] truncated = Arrays.copyOf(bytes, bytes.length - 100);

    send("broken", truncated, headers(null, null, null, null));

    DeadLetter letter = single(deadletters);
    assertThat(letter.getReasonCode()).isEqualTo("TRUNCATED_DATA");
    assertThat(letter.getStage()).isEqualTo("ingest");
    assertThat(letter.getField()).isNotBlank();
    assertThat(letter.getLimit()).contains("DimSize");
    assertThat(letter.getStudyUid()).isEqualTo("broken");
    assertThat(letter.getOriginalTopic()).isEqualTo(topics.studiesUpload().name());
    assertThat(letter.getOriginalLocation()).isEqualTo(topics.studiesUpload().name() + "/0/0");
    assertThat(studies.isEmpty()).isTrue();
    assertThat(counter("spineflow.ingest.studies.rejected")).isEqualTo(1);
  }

  @Test
  void garbageNeverStopsTheTopology() {
    send("garbage", "not a MetaImage at all\0\1\2".getBytes(StandardCharsets.ISO_8859_1), null);
    send("empty", new byte[0], null);
    send(
        "bomb",
        ("NDims = 3\nDimSize = 100000 100000 100000\nElementType = MET_UCHAR\n"
                + "ElementDataFile = LOCAL\n")
            .getBytes(StandardCharsets.US_ASCII),
        null);
    send("fine", TestVolumes.mha(TestVolumes.image(7)), null);

    assertThat(deadletters.readValuesToList())
        .extracting(DeadLetter::getStudyUid, DeadLetter::getReasonCode)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("garbage", "INVALID_HEADER_ENCODING"),
            org.assertj.core.groups.Tuple.tuple("empty", "EMPTY_UPLOAD"),
            org.assertj.core.groups.Tuple.tuple("bomb", "TOO_MANY_VOXELS"));
    assertThat(studies.readValuesToList()).extracting(Study::getStudyUid).containsExactly("fine");
  }

  @Test
  void aLabelDeclarationOnTheImageIsCarriedIntoTheStudy() {
    Image image = TestVolumes.image(20);
    Image mask = TestVolumes.maskFor(image);
    Headers imageHeaders = headers("T2", "image", "true", null);
    imageHeaders.add(UploadHeaders.LABEL_CLASSES, utf8("discs"));
    imageHeaders.add(UploadHeaders.LABEL_EXTENT, utf8("labelled-span+10mm"));

    send("discs-only", TestVolumes.mha(image), imageHeaders);
    send("discs-only", TestVolumes.mha(mask), headers(null, "mask", null, null));

    io.spineflow.events.LabelCoverage coverage = single(studies).getLabelCoverage();
    assertThat(coverage.getClasses()).containsExactly(io.spineflow.events.LabelledClass.DISCS);
    assertThat(coverage.getExtent()).isEqualTo(io.spineflow.events.LabelExtent.LABELLED_SPAN);
    assertThat(coverage.getExtentMarginMm()).isEqualTo(10.0);
    assertThat(deadletters.isEmpty()).isTrue();
  }

  @Test
  void aCompleteDeclarationIsNullAndAChangedDeclarationIsANewRevision() {
    Image image = TestVolumes.image(21);
    byte[] imageBytes = TestVolumes.mha(image);
    byte[] maskBytes = TestVolumes.mha(TestVolumes.maskFor(image));
    Headers complete = headers(null, "image", "true", null);
    complete.add(UploadHeaders.LABEL_CLASSES, utf8("all"));
    Headers bodies = headers(null, "image", "true", null);
    bodies.add(UploadHeaders.LABEL_CLASSES, utf8("vertebral-bodies,canal,discs"));

    send("revised", imageBytes, complete);
    send("revised", maskBytes, headers(null, "mask", null, null));
    send("revised", imageBytes, bodies);
    send("revised", maskBytes, headers(null, "mask", null, null));

    List<Study> out = studies.readValuesToList();
    assertThat(out).hasSize(2);
    assertThat(out.get(0).getLabelCoverage()).as("all over the whole image: complete").isNull();
    assertThat(out.get(1).getLabelCoverage().getClasses())
        .containsExactly(
            io.spineflow.events.LabelledClass.VERTEBRAL_BODIES,
            io.spineflow.events.LabelledClass.CANAL,
            io.spineflow.events.LabelledClass.DISCS);
    assertThat(out.get(1).getLabelCoverage().getExtent())
        .as("a subset without an extent is trusted over its labelled span")
        .isEqualTo(io.spineflow.events.LabelExtent.LABELLED_SPAN);
    assertThat(out.get(1).getContentSha256()).isEqualTo(out.get(0).getContentSha256());
  }

  @Test
  void aBadDeclarationIsOneDeadLetterNamingTheHeaderAndTheNextStudyGoesThrough() {
    byte[] image = TestVolumes.mha(TestVolumes.image(22));
    Headers badClass = headers(null, "image", "true", null);
    badClass.add(UploadHeaders.LABEL_CLASSES, utf8("ribs"));
    Headers badMargin = headers(null, "image", "true", null);
    badMargin.add(UploadHeaders.LABEL_CLASSES, utf8("discs"));
    badMargin.add(UploadHeaders.LABEL_EXTENT, utf8("labelled-span+tenmm"));
    Headers noMask = headers(null, "image", null, null);
    noMask.add(UploadHeaders.LABEL_CLASSES, utf8("discs"));

    send("bad-class", image, badClass);
    send("bad-margin", image, badMargin);
    send("no-mask", image, noMask);
    send("fine", image, headers("T1", null, null, null));

    List<DeadLetter> out = deadletters.readValuesToList();
    assertThat(out)
        .extracting(DeadLetter::getStudyUid, DeadLetter::getReasonCode, DeadLetter::getField)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "bad-class", "INVALID_LABEL_DECLARATION", UploadHeaders.LABEL_CLASSES),
            org.assertj.core.groups.Tuple.tuple(
                "bad-margin", "INVALID_LABEL_DECLARATION", UploadHeaders.LABEL_EXTENT),
            org.assertj.core.groups.Tuple.tuple(
                "no-mask", "INVALID_LABEL_DECLARATION", UploadHeaders.LABEL_CLASSES));
    assertThat(out.get(0).getLimit()).contains("vertebral-bodies", "discs", "all");
    assertThat(out.get(0).getMessage()).contains("ribs");
    assertThat(out.get(1).getLimit()).contains("labelled-span+MARGINmm");
    assertThat(out.get(2).getLimit()).contains("with a label mask");
    assertThat(studies.readValuesToList()).extracting(Study::getStudyUid).containsExactly("fine");
    // Nothing of the rejected studies waits: no MASK_MISSING follows.
    driver.advanceWallClockTime(Duration.ofMinutes(2));
    assertThat(deadletters.isEmpty()).isTrue();
  }

  @Test
  void badKeysAndHeadersAreDeadLetteredNamingTheField() {
    byte[] bytes = TestVolumes.mha(TestVolumes.image(8));

    send(null, bytes, null);
    send("a/b", bytes, null);
    send("seq", bytes, headers("T3", null, null, null));
    send("part", bytes, headers(null, "label", null, null));
    send("flag", bytes, headers(null, "image", "yes", null));

    List<TestRecord<String, DeadLetter>> out = deadletters.readRecordsToList();
    assertThat(out)
        .extracting(r -> r.value().getReasonCode(), r -> r.value().getField())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("MISSING_STUDY_UID", "key"),
            org.assertj.core.groups.Tuple.tuple("INVALID_STUDY_UID", "key"),
            org.assertj.core.groups.Tuple.tuple("UNKNOWN_SEQUENCE", "spineflow.sequence"),
            org.assertj.core.groups.Tuple.tuple("INVALID_HEADER", "spineflow.part"),
            org.assertj.core.groups.Tuple.tuple("INVALID_HEADER", "spineflow.expect-mask"));
    assertThat(out.get(1).key()).as("dead letters keep the original key").isEqualTo("a/b");
    assertThat(out.get(1).value().getStudyUid()).isNull();
    assertThat(out.get(1).value().getLimit()).isEqualTo(StudyUids.CONTRACT);
    assertThat(out.get(2).value().getLimit()).contains("T2_SPACE");
    assertThat(studies.isEmpty()).isTrue();
  }

  @Test
  void aMaskOffTheImageGridIsAGeometryMismatchPointingAtTheMask() {
    Image image = TestVolumes.image(9);

    send("shifted", TestVolumes.mha(image), headers(null, "image", "true", null));
    send(
        "shifted",
        TestVolumes.mha(TestVolumes.shiftedMaskFor(image, 0.5)),
        headers(null, "mask", null, null));
    send("small", TestVolumes.mha(image), headers(null, "image", "true", null));
    send(
        "small",
        TestVolumes.mha(TestVolumes.maskFor(TestVolumes.image(9, 16, 12, 3))),
        headers(null, "mask", null, null));
    send("within", TestVolumes.mha(image), headers(null, "image", "true", null));
    send(
        "within",
        TestVolumes.mha(TestVolumes.shiftedMaskFor(image, 0.0005)),
        headers(null, "mask", null, null));

    List<DeadLetter> out = deadletters.readValuesToList();
    assertThat(out)
        .extracting(DeadLetter::getReasonCode, DeadLetter::getField)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("GEOMETRY_MISMATCH", "Offset"),
            org.assertj.core.groups.Tuple.tuple("GEOMETRY_MISMATCH", "DimSize"));
    assertThat(out.get(0).getOriginalOffset()).as("the mask's record").isEqualTo(1L);
    assertThat(out.get(0).getLimit()).contains("0.001");
    assertThat(studies.readValuesToList())
        .extracting(Study::getStudyUid)
        .as("within the tolerance")
        .containsExactly("within");
  }

  @Test
  void aMissingMaskOrImageIsDeadLetteredAfterThePairingTimeout() {
    Image image = TestVolumes.image(10);
    send("lonely-image", TestVolumes.mha(image), headers(null, "image", "true", null));
    driver.advanceWallClockTime(Duration.ofSeconds(30));
    send(
        "lonely-mask",
        TestVolumes.mha(TestVolumes.maskFor(image)),
        headers(null, "mask", null, null));
    assertThat(deadletters.isEmpty()).isTrue();

    driver.advanceWallClockTime(Duration.ofSeconds(31));
    DeadLetter first = single(deadletters);
    assertThat(first.getReasonCode()).isEqualTo("MASK_MISSING");
    assertThat(first.getStudyUid()).isEqualTo("lonely-image");
    assertThat(first.getField()).isEqualTo(UploadHeaders.EXPECT_MASK);
    assertThat(first.getLimit()).contains("PT1M");
    assertThat(first.getOriginalLocation()).isEqualTo(topics.studiesUpload().name() + "/0/0");

    driver.advanceWallClockTime(Duration.ofSeconds(30));
    DeadLetter second = single(deadletters);
    assertThat(second.getReasonCode()).isEqualTo("IMAGE_MISSING");
    assertThat(second.getOriginalOffset()).isEqualTo(1L);

    // The expired image is gone: a late mask waits on its own instead of completing it.
    send(
        "lonely-image",
        TestVolumes.mha(TestVolumes.maskFor(image)),
        headers(null, "mask", null, null));
    assertThat(studies.isEmpty()).isTrue();
    assertThat(deadletters.isEmpty()).isTrue();
  }

  @Test
  void aDifferentSecondImageSupersedesTheWaitingOne() {
    Image old = TestVolumes.image(11);
    Image newer = TestVolumes.image(12);
    Image mask = TestVolumes.maskFor(newer);

    send("again", TestVolumes.mha(old), headers(null, "image", "true", null));
    send("again", TestVolumes.mha(newer), headers(null, "image", "true", null));
    send("again", TestVolumes.mha(mask), headers(null, "mask", null, null));

    DeadLetter letter = single(deadletters);
    assertThat(letter.getReasonCode()).isEqualTo("PART_SUPERSEDED");
    assertThat(letter.getOriginalOffset()).isEqualTo(0L);
    Study study = studies.readValue();
    assertThat(study.getContentSha256())
        .isEqualTo(ContentHash.of(TestVolumes.mha(newer), TestVolumes.mha(mask)));
  }

  @Test
  void claimCheckedUploadsAreReadBackAndLargeVolumesLeaveByClaimCheck() {
    Image large = TestVolumes.image(13, 40, 30, 4); // 9600 voxel bytes > the 4 KiB inline limit
    byte[] bytes = TestVolumes.mha(large);
    ClaimCheck check = claims.put(bytes);

    Headers claimed = headers("T2_SPACE", null, null, null);
    claimed.add(UploadHeaders.CLAIM_URI, check.getUri().getBytes(StandardCharsets.UTF_8));
    claimed.add(UploadHeaders.CLAIM_SHA256, check.getSha256().getBytes(StandardCharsets.UTF_8));
    claimed.add(
        UploadHeaders.CLAIM_SIZE,
        Long.toString(check.getSizeBytes()).getBytes(StandardCharsets.UTF_8));
    claimed.add(UploadHeaders.SOURCE, "HTTP".getBytes(StandardCharsets.UTF_8));
    send("claimed", new byte[0], claimed);

    Headers wrong = headers(null, null, null, null);
    wrong.add(UploadHeaders.CLAIM_URI, check.getUri().getBytes(StandardCharsets.UTF_8));
    wrong.add(UploadHeaders.CLAIM_SHA256, "0".repeat(64).getBytes(StandardCharsets.UTF_8));
    wrong.add(
        UploadHeaders.CLAIM_SIZE,
        Long.toString(check.getSizeBytes()).getBytes(StandardCharsets.UTF_8));
    send("wrong-claim", new byte[0], wrong);

    Study study = studies.readValue();
    assertThat(study.getStudyUid()).isEqualTo("claimed");
    assertThat(study.getSource()).isEqualTo(StudySource.HTTP);
    assertThat(study.getContentSha256()).isEqualTo(ContentHash.of(bytes, null));
    assertThat(study.getImage().getVoxels()).isInstanceOf(ClaimCheck.class);
    Image back = new VolumeMapper(claims, INLINE_LIMIT).toImage(study.getImage());
    assertThat(back.data()).isEqualTo(large.data());
    DeadLetter letter = single(deadletters);
    assertThat(letter.getReasonCode()).isEqualTo("CLAIM_CHECK_INVALID");
    assertThat(letter.getField()).isEqualTo(UploadHeaders.CLAIM_SHA256);
  }

  @Test
  void poisonUploadsAreDeadLetteredAndTheNextStudyStillGoesThrough() {
    for (String uri : new String[] {"foo:bar", "jar:file:/tmp/x.zip!/a.bin", "::"}) {
      Headers claim = headers(null, null, null, null);
      claim.add(UploadHeaders.CLAIM_URI, uri.getBytes(StandardCharsets.UTF_8));
      claim.add(UploadHeaders.CLAIM_SHA256, "0".repeat(64).getBytes(StandardCharsets.UTF_8));
      claim.add(UploadHeaders.CLAIM_SIZE, "10".getBytes(StandardCharsets.UTF_8));
      send("odd-scheme", new byte[0], claim);
    }
    send("tombstone", null, null);
    send("garbage", "garbage".getBytes(StandardCharsets.UTF_8), null);
    send("after", TestVolumes.mha(TestVolumes.image(3)), null);

    List<DeadLetter> letters = deadletters.readValuesToList();
    assertThat(letters).hasSize(5);
    assertThat(letters.subList(0, 4))
        .extracting(DeadLetter::getReasonCode)
        .containsExactly(
            "CLAIM_CHECK_INVALID", "CLAIM_CHECK_INVALID", "CLAIM_CHECK_INVALID", "EMPTY_UPLOAD");
    assertThat(letters.get(0).getField()).isEqualTo(UploadHeaders.CLAIM_URI);
    assertThat(studies.readValue().getStudyUid()).isEqualTo("after");
  }

  @Test
  void aDetachedDataFileCannotTravelOnKafka() {
    byte[] header =
        ("ObjectType = Image\nNDims = 3\nDimSize = 4 4 2\nElementType = MET_USHORT\n"
                + "ElementDataFile = study.raw\n")
            .getBytes(StandardCharsets.US_ASCII);

    send("detached", header, null);

    DeadLetter letter = single(deadletters);
    assertThat(letter.getReasonCode()).isEqualTo("DATA_FILE_UNRESOLVABLE");
    assertThat(letter.getField()).isEqualTo("ElementDataFile");
    assertThat(letter.getLimit()).contains("LOCAL");
  }

  @Test
  void everyProcessorAndStoreIsNamed() {
    TopologyDescription description =
        IngestTopology.buildTopology(config, topics, claims, new IngestMetrics(registry))
            .describe();
    assertThat(description.subtopologies()).hasSize(1);
    Set<TopologyDescription.Node> nodes = description.subtopologies().iterator().next().nodes();
    Map<String, TopologyDescription.Node> byName =
        nodes.stream().collect(Collectors.toMap(TopologyDescription.Node::name, n -> n));
    assertThat(byName)
        .containsOnlyKeys(
            IngestTopology.SOURCE,
            IngestTopology.PROCESSOR,
            IngestTopology.STUDIES_SINK,
            IngestTopology.DEADLETTER_SINK,
            IngestTopology.AUDIT_SINK);
    assertThat(((TopologyDescription.Source) byName.get(IngestTopology.SOURCE)).topicSet())
        .containsExactly(topics.studiesUpload().name());
    assertThat(((TopologyDescription.Processor) byName.get(IngestTopology.PROCESSOR)).stores())
        .containsExactlyInAnyOrder(
            IngestTopology.PENDING_STORE,
            IngestTopology.DEADLINE_STORE,
            IngestTopology.SEEN_STORE,
            IngestTopology.DICOM_INSTANCE_STORE,
            IngestTopology.DICOM_SERIES_STORE);
    assertThat(((TopologyDescription.Sink) byName.get(IngestTopology.STUDIES_SINK)).topic())
        .isEqualTo(topics.studies().name());
    assertThat(((TopologyDescription.Sink) byName.get(IngestTopology.DEADLETTER_SINK)).topic())
        .isEqualTo(topics.deadletter().name());
    assertThat(((TopologyDescription.Sink) byName.get(IngestTopology.AUDIT_SINK)).topic())
        .isEqualTo(topics.audit().name());
    assertThat(description.globalStores()).isEmpty();
  }

  private void send(String key, byte[] value, Headers headers) {
    upload.pipeInput(
        new TestRecord<>(key, value, headers == null ? new RecordHeaders() : headers, T0));
  }

  private static Headers headers(String sequence, String part, String expectMask, String name) {
    Map<String, String> values = new HashMap<>();
    if (sequence != null) {
      values.put(UploadHeaders.SEQUENCE, sequence);
    }
    if (part != null) {
      values.put(UploadHeaders.PART, part);
    }
    if (expectMask != null) {
      values.put(UploadHeaders.EXPECT_MASK, expectMask);
    }
    if (name != null) {
      values.put(UploadHeaders.SOURCE_NAME, name);
    }
    RecordHeaders headers = new RecordHeaders();
    values.forEach((k, v) -> headers.add(k, v.getBytes(StandardCharsets.UTF_8)));
    return headers;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static <V> V single(TestOutputTopic<String, V> topic) {
    List<V> values = topic.readValuesToList();
    assertThat(values).hasSize(1);
    return values.get(0);
  }

  private double counter(String name) {
    return registry.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
  }
}
