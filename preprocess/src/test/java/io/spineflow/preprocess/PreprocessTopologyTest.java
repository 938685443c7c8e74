package io.spineflow.preprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spineflow.events.DeadLetter;
import io.spineflow.events.InlineVoxels;
import io.spineflow.events.Slice;
import io.spineflow.events.SliceSummary;
import io.spineflow.events.Study;
import io.spineflow.events.Volume;
import io.spineflow.imaging.ElementType;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.ImageGeometry;
import io.spineflow.imaging.Sequence;
import io.spineflow.imaging.phantom.PhantomStudy;
import io.spineflow.platform.volume.ClaimCheckStore;
import io.spineflow.platform.volume.VolumeMapper;
import io.spineflow.schemas.SliceKey;
import io.spineflow.schemas.Topics;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreprocessTopologyTest {
  private static final Instant NOW = Instant.parse("2026-11-22T09:30:00Z");
  private static final Topics TOPICS = Topics.defaults();

  @TempDir Path dir;
  private VolumeMapper volumes;
  private SimpleMeterRegistry metrics;
  private TopologyTestDriver driver;
  private TestInputTopic<String, Study> studies;
  private static final Duration RETENTION = Duration.ofHours(1);
  private TestInputTopic<String, byte[]> rawStudies;
  private TestOutputTopic<String, Slice> slices;
  private TestOutputTopic<String, SliceSummary> summaries;
  private TestOutputTopic<String, DeadLetter> deadLetters;

  @BeforeEach
  void start() {
    PreprocessConfig config = PreprocessConfig.defaults(dir);
    volumes = new VolumeMapper(new ClaimCheckStore(config.claimCheckDir()), 1 << 20);
    metrics = new SimpleMeterRegistry();
    Topology topology =
        PreprocessTopology.buildTopology(
            config, TOPICS, volumes, Clock.fixed(NOW, ZoneOffset.UTC), metrics, RETENTION);
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "preprocess-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
    driver = new TopologyTestDriver(topology, props);
    studies =
        driver.createInputTopic(
            TOPICS.studies().name(),
            new StringSerializer(),
            TOPICS.studies().valueSerde().serializer());
    rawStudies =
        driver.createInputTopic(
            TOPICS.studies().name(), new StringSerializer(), new ByteArraySerializer());
    slices =
        driver.createOutputTopic(
            TOPICS.slices().name(),
            TOPICS.slices().keySerde().deserializer(),
            TOPICS.slices().valueSerde().deserializer());
    summaries =
        driver.createOutputTopic(
            TOPICS.slicesSummary().name(),
            TOPICS.slicesSummary().keySerde().deserializer(),
            TOPICS.slicesSummary().valueSerde().deserializer());
    deadLetters =
        driver.createOutputTopic(
            TOPICS.deadletter().name(),
            TOPICS.deadletter().keySerde().deserializer(),
            TOPICS.deadletter().valueSerde().deserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @Test
  void describeNamesEveryProcessorStoreAndTopic() {
    TopologyDescription description =
        PreprocessTopology.buildTopology(PreprocessConfig.defaults(dir), TOPICS, volumes)
            .describe();
    assertThat(description.subtopologies()).hasSize(1);
    Map<String, TopologyDescription.Node> nodes =
        description.subtopologies().iterator().next().nodes().stream()
            .collect(Collectors.toMap(TopologyDescription.Node::name, n -> n));
    assertThat(nodes)
        .containsOnlyKeys(
            "studies-source",
            "preprocess-study",
            "slices-sink",
            "slices-summary-sink",
            "deadletter-sink");
    assertThat(((TopologyDescription.Source) nodes.get("studies-source")).topicSet())
        .containsExactly("studies");
    assertThat(((TopologyDescription.Processor) nodes.get("preprocess-study")).stores())
        .containsExactly("preprocessed-studies");
    assertThat(nodes.get("preprocess-study").successors())
        .extracting(TopologyDescription.Node::name)
        .containsExactlyInAnyOrder("slices-sink", "slices-summary-sink", "deadletter-sink");
    assertThat(((TopologyDescription.Sink) nodes.get("slices-sink")).topic()).isEqualTo("slices");
    assertThat(((TopologyDescription.Sink) nodes.get("slices-summary-sink")).topic())
        .isEqualTo("slices.summary");
    assertThat(((TopologyDescription.Sink) nodes.get("deadletter-sink")).topic())
        .isEqualTo("deadletter");
    assertThat(description.globalStores()).isEmpty();
  }

  @Test
  void aLabelledStudyBecomesItsFilteredSlicesAndASummaryThatAccountsForEverySlice() {
    PhantomStudy phantom = TestStudies.phantom(Sequence.T2, 3, 0.4);
    studies.pipeInput("study-1", TestStudies.study("study-1", volumes, phantom, true));

    List<KeyValue<String, Slice>> out = slices.readKeyValuesToList();
    List<KeyValue<String, SliceSummary>> done = summaries.readKeyValuesToList();
    assertThat(deadLetters.isEmpty()).isTrue();
    assertThat(done).hasSize(1);
    assertThat(done.get(0).key).isEqualTo("study-1");
    SliceSummary summary = done.get(0).value;
    int sagittal = phantom.image().geometry().size()[phantom.truth().sagittalAxis()];
    assertThat(summary.getLabelled()).isTrue();
    assertThat(summary.getSourceSlices()).isEqualTo(sagittal);
    assertThat(summary.getDroppedByReason()).containsOnlyKeys("MISSING_CLASS", "IMBALANCED");
    int dropped = summary.getDroppedByReason().values().stream().mapToInt(i -> i).sum();
    assertThat(summary.getEmittedSliceIndexes().size() + dropped).isEqualTo(sagittal);
    assertThat(summary.getCompletedAt()).isEqualTo(NOW);
    assertThat(summary.getStudyReceivedAt()).isEqualTo(TestStudies.RECEIVED);

    assertThat(out)
        .extracting(kv -> kv.key)
        .containsExactlyElementsOf(
            summary.getEmittedSliceIndexes().stream()
                .map(i -> new SliceKey("study-1", i).toString())
                .toList());
    for (KeyValue<String, Slice> kv : out) {
      Slice s = kv.value;
      assertThat(s.getWidth()).isEqualTo(128);
      assertThat(s.getHeight()).isEqualTo(128);
      assertThat(s.getSequence()).isEqualTo(io.spineflow.events.Sequence.T2);
      float[] pixels = SliceEvents.floats(s.getPixels());
      assertThat(pixels).hasSize(128 * 128);
      for (float p : pixels) {
        assertThat(p).isBetween(0f, 1f);
      }
      byte[] label = new byte[s.getLabel().remaining()];
      s.getLabel().duplicate().get(label);
      Set<Byte> classes = new java.util.HashSet<>();
      for (byte b : label) {
        classes.add(b);
      }
      assertThat(classes)
          .as("every kept slice has all 4 classes")
          .containsOnly((byte) 0, (byte) 1, (byte) 2, (byte) 3)
          .hasSize(4);
      assertThat(s.getPixelToPhysical()).hasSize(9);
      assertThat(s.getPixelSpacing()).hasSize(2);
      // Close, not equal: Avro 1.12.0 decodes arrays of double through float (AVRO-4108, fixed
      // in 1.12.1), so the study's spacing arrives rounded to float precision.
      assertThat(s.getSliceThickness())
          .isCloseTo(
              phantom.image().geometry().spacing()[phantom.truth().sagittalAxis()],
              org.assertj.core.api.Assertions.within(1e-6));
      assertThat(s.getSagittalAxis()).isEqualTo(phantom.truth().sagittalAxis());
      assertThat(s.getPreprocessedAt()).isEqualTo(NOW);
    }
    assertThat(metrics.counter("spineflow.preprocess.slices.emitted").count())
        .isEqualTo(out.size());
    assertThat(metrics.counter("spineflow.preprocess.studies", "outcome", "sliced").count())
        .isEqualTo(1);
  }

  @Test
  void anUnlabelledStudyKeepsItsCentralSpineRegion() {
    PhantomStudy phantom = TestStudies.phantom(Sequence.T1, 4, 0.4);
    studies.pipeInput("study-2", TestStudies.study("study-2", volumes, phantom, false));

    SliceSummary summary = summaries.readValue();
    List<Slice> out = slices.readValuesToList();
    assertThat(summary.getLabelled()).isFalse();
    assertThat(summary.getDroppedByReason()).containsOnlyKeys("OUTSIDE_SPINE_REGION");
    assertThat(out.size() + summary.getDroppedByReason().get("OUTSIDE_SPINE_REGION"))
        .isEqualTo(summary.getSourceSlices());
    assertThat(out).isNotEmpty().allSatisfy(s -> assertThat(s.getLabel()).isNull());
    // Kept slices are a contiguous central run.
    List<Integer> indexes = summary.getEmittedSliceIndexes();
    assertThat(indexes.get(indexes.size() - 1) - indexes.get(0) + 1).isEqualTo(indexes.size());
  }

  @Test
  void badStudiesAreDeadLetteredWithReasonFieldLimitAndLocationAndTheStreamCarriesOn() {
    Image volume = Image.fromDoubles(ImageGeometry.of(6, 8, 8), ElementType.USHORT, ramp(384));
    Image otherSpacing =
        Image.fromDoubles(
            new ImageGeometry(
                new int[] {6, 8, 8},
                new double[] {1, 1, 2},
                new double[3],
                new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}),
            ElementType.UCHAR,
            new double[384]);
    double[] badLabels = new double[384];
    badLabels[17] = 300;
    Image unknownLabel =
        Image.fromDoubles(ImageGeometry.of(6, 8, 8), ElementType.USHORT, badLabels);
    Volume truncated = volumes.toVolume(volume, null);
    truncated.setVoxels(InlineVoxels.newBuilder().setData(ByteBuffer.wrap(new byte[100])).build());

    rawStudies.pipeInput("junk", new byte[] {1, 2, 3});
    studies.pipeInput(
        "flat",
        TestStudies.study(
            "flat",
            volumes,
            Image.fromDoubles(ImageGeometry.of(8, 8), ElementType.USHORT, ramp(64)),
            null));
    studies.pipeInput("mismatch", TestStudies.study("mismatch", volumes, volume, otherSpacing));
    studies.pipeInput("unknown", TestStudies.study("unknown", volumes, volume, unknownLabel));
    studies.pipeInput(
        "truncated",
        TestStudies.study("truncated", io.spineflow.events.Sequence.T1, truncated, null));
    studies.pipeInput("a/b", TestStudies.study("a/b", volumes, volume, null));
    rawStudies.pipeInput("tombstone", (byte[]) null);
    PhantomStudy phantom = TestStudies.phantom(Sequence.T2, 3, 0.4);
    studies.pipeInput("good", TestStudies.study("good", volumes, phantom, true));

    List<KeyValue<String, DeadLetter>> letters = deadLetters.readKeyValuesToList();
    assertThat(letters)
        .extracting(kv -> kv.key, kv -> kv.value.getReasonCode(), kv -> kv.value.getField())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("junk", "UNDECODABLE_STUDY", "value"),
            org.assertj.core.groups.Tuple.tuple("flat", "NO_SAGITTAL_AXIS", "image.size"),
            org.assertj.core.groups.Tuple.tuple("mismatch", "GEOMETRY_MISMATCH", "label.spacing"),
            org.assertj.core.groups.Tuple.tuple("unknown", "UNKNOWN_LABEL_VALUE", "label"),
            org.assertj.core.groups.Tuple.tuple("truncated", "TRUNCATED_DATA", "image.voxels"),
            org.assertj.core.groups.Tuple.tuple("a/b", "INVALID_STUDY_UID", "studyUid"),
            org.assertj.core.groups.Tuple.tuple("tombstone", "UNDECODABLE_STUDY", "value"));
    for (int i = 0; i < letters.size(); i++) {
      DeadLetter letter = letters.get(i).value;
      assertThat(letter.getStage()).isEqualTo("preprocess");
      assertThat(letter.getOriginalTopic()).isEqualTo("studies");
      assertThat(letter.getOriginalOffset()).isEqualTo(i);
      assertThat(letter.getOriginalLocation()).isEqualTo("studies/0/" + i);
      assertThat(letter.getStudyUid()).isEqualTo(letters.get(i).key);
      assertThat(letter.getLimit()).isNotBlank();
      assertThat(letter.getMessage()).isNotBlank();
      assertThat(letter.getAt()).isEqualTo(NOW);
    }
    assertThat(letters.get(3).value.getMessage()).contains("label value 300");
    assertThat(letters.get(2).value.getLimit()).contains("[1.0, 1.0, 1.0]");

    // Nothing of the bad studies leaked out, and the good one after them went through.
    assertThat(summaries.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("good");
    assertThat(keys(slices.readKeyValuesToList()))
        .allSatisfy(k -> assertThat(k).startsWith("good/"));
    assertThat(
            metrics
                .counter("spineflow.preprocess.deadletters", "reason", "NO_SAGITTAL_AXIS")
                .count())
        .isEqualTo(1);
  }

  @Test
  void aStudySentAgainUnchangedIsNotSlicedAgainButAChangedOneIs() {
    PhantomStudy phantom = TestStudies.phantom(Sequence.T2, 3, 0.4);
    Study study = TestStudies.study("again", volumes, phantom, true);
    studies.pipeInput("again", study);
    int first = keys(slices.readKeyValuesToList()).size();
    studies.pipeInput("again", study);
    assertThat(slices.isEmpty()).isTrue();
    assertThat(summaries.readValuesToList()).hasSize(1);
    assertThat(metrics.counter("spineflow.preprocess.studies.duplicate").count()).isEqualTo(1);

    Study corrected = Study.newBuilder(study).setContentSha256("0".repeat(64)).build();
    studies.pipeInput("again", corrected);
    assertThat(keys(slices.readKeyValuesToList())).hasSize(first);
    assertThat(summaries.readValuesToList()).hasSize(1);
  }

  @Test
  void anUnchangedResendAfterTheDedupRetentionIsANewRevision() {
    PhantomStudy phantom = TestStudies.phantom(Sequence.T2, 3, 0.4);
    Study study = TestStudies.study("later", volumes, phantom, true);
    studies.pipeInput("later", study);
    int first = keys(slices.readKeyValuesToList()).size();
    driver.advanceWallClockTime(RETENTION.minusMinutes(1));
    studies.pipeInput("later", study);
    assertThat(slices.isEmpty()).as("within the retention: a duplicate").isTrue();

    // Past the retention the store has forgotten it (the sweep deleted the entry): sliced again.
    driver.advanceWallClockTime(RETENTION.plusMinutes(2));
    KeyValueStore<String, ?> store = driver.getKeyValueStore(PreprocessTopology.STORE);
    assertThat(store.get("later")).isNull();
    studies.pipeInput("later", study);
    assertThat(keys(slices.readKeyValuesToList())).hasSize(first);
    assertThat(summaries.readValuesToList()).hasSize(2);
  }

  private static double[] ramp(int n) {
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = i;
    }
    return values;
  }

  private static List<String> keys(List<KeyValue<String, Slice>> records) {
    List<String> keys = new ArrayList<>();
    records.forEach(kv -> keys.add(kv.key));
    return keys;
  }
}
