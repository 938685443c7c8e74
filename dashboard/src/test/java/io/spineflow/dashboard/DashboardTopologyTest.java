package io.spineflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.spineflow.events.AnnouncementKind;
import io.spineflow.events.ClassMetrics;
import io.spineflow.events.DeadLetter;
import io.spineflow.events.Mask;
import io.spineflow.events.ModelAnnouncement;
import io.spineflow.events.Quality;
import io.spineflow.events.Segmentation;
import io.spineflow.events.Sequence;
import io.spineflow.events.Slice;
import io.spineflow.events.TrainingPhase;
import io.spineflow.events.TrainingProgress;
import io.spineflow.platform.Settings;
import io.spineflow.platform.blob.FileBlobStore;
import io.spineflow.schemas.Topics;
import io.spineflow.testkit.StudyResults;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard topology on a {@link TopologyTestDriver}: what each store holds, read back as the
 * page reads it.
 */
class DashboardTopologyTest {
  /** A window start: 09:00:00 UTC. */
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  @TempDir Path stateDir;
  private final Topics topics = Topics.defaults();
  private TopologyTestDriver driver;
  private TestInputTopic<String, Quality> quality;
  private TestInputTopic<String, Mask> masks;
  private TestInputTopic<String, Slice> slices;
  private TestInputTopic<String, ModelAnnouncement> models;
  private TestInputTopic<String, TrainingProgress> training;
  private TestInputTopic<String, DeadLetter> deadletters;
  private DashboardQueries queries;
  private DashboardConfig config;

  private void start(Map<String, String> settings) {
    Map<String, String> all = new HashMap<>(settings);
    all.putIfAbsent(DashboardSettings.OPERATOR_TOKEN.name(), "operator-token-0123456789");
    config = DashboardConfig.from(Settings.of(all));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "dashboard-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(DashboardTopology.buildTopology(config, topics), props);
    quality = input(topics.quality());
    masks = input(topics.masks());
    slices = input(topics.slices());
    models = input(topics.models());
    training = input(topics.training());
    deadletters = input(topics.deadletter());
    queries =
        new DashboardQueries(
            new DriverStores(driver), config, Clock.fixed(T0.plusSeconds(600), ZoneOffset.UTC));
  }

  private <V> TestInputTopic<String, V> input(io.spineflow.schemas.Topic<String, V> topic) {
    return driver.createInputTopic(
        topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
  }

  @AfterEach
  void stop() {
    if (driver != null) {
      driver.close();
    }
  }

  /**
   * The study pages' store keeps the latest result of each study: a later revision replaces it, an
   * older one arriving afterwards does not, and beyond {@code dashboard.studies.max} the oldest
   * study goes; the page data carries the event's levels and the download paths.
   */
  @Test
  void studyResultsKeepTheLatestPerStudyWithinTheCap() {
    start(Map.of(DashboardSettings.STUDIES_MAX.name(), "2"));
    FileBlobStore blobs = new FileBlobStore(stateDir.resolve("blobs"), 1L << 30);
    TestInputTopic<String, Segmentation> results = input(topics.segmentations());
    StudyResults.Built first = StudyResults.of("s1", 7, blobs, T0, 1);
    StudyResults.Built second = StudyResults.of("s1", 7, blobs, T0.plusSeconds(60), 1, 2);
    results.pipeInput("s1", first.event(), T0);
    results.pipeInput("s1", second.event(), T0.plusSeconds(60));
    results.pipeInput("s1", first.event(), T0.plusSeconds(61)); // a replayed older revision

    PageState.StudyPage page = queries.study("s1").orElseThrow();
    assertThat(page.result().get("mixedModelVersions")).isEqualTo(true);
    assertThat((List<?>) page.result().get("levels")).hasSize(second.report().levels().size());
    assertThat(page.labelsUrl()).isEqualTo("/api/studies/s1/labels.mha");
    assertThat(page.segUrl()).isEqualTo("/api/studies/s1/seg.dcm");
    assertThat(page.reportUrl()).isEqualTo("/api/studies/s1/sr.dcm");
    assertThat(queries.studies()).extracting(PageState.StudyItem::studyUid).containsExactly("s1");
    assertThat(queries.studies().get(0).modelVersions())
        .containsExactly("spine-unet v1", "spine-unet v2");

    results.pipeInput("s2", StudyResults.of("s2", 7, blobs, T0.plusSeconds(120), 1).event());
    results.pipeInput("s3", StudyResults.of("s3", 7, blobs, T0.plusSeconds(180), 1).event());
    assertThat(queries.studies())
        .extracting(PageState.StudyItem::studyUid)
        .containsExactly("s3", "s2");
    assertThat(queries.study("s1")).isEmpty();
  }

  @Test
  void everyProcessorAndStoreIsNamedAndWiredAsDesigned() {
    TopologyDescription description =
        DashboardTopology.buildTopology(DashboardConfig.defaults(""), topics).describe();
    Map<String, TopologyDescription.Node> nodes = new HashMap<>();
    description.subtopologies().forEach(s -> s.nodes().forEach(n -> nodes.put(n.name(), n)));
    assertThat(nodes.keySet())
        .as("no generated names: a refactor must not orphan state")
        .noneMatch(name -> name.startsWith("KSTREAM-") || name.startsWith("KTABLE-"));
    assertThat(description.globalStores()).isEmpty();
    assertThat(description.subtopologies()).hasSize(7);

    Map<String, Set<String>> stores =
        nodes.values().stream()
            .filter(n -> n instanceof TopologyDescription.Processor p && !p.stores().isEmpty())
            .collect(
                Collectors.toMap(
                    TopologyDescription.Node::name,
                    n -> ((TopologyDescription.Processor) n).stores()));
    assertThat(stores)
        .containsOnly(
            Map.entry(
                DashboardTopology.GALLERY,
                Set.of(
                    DashboardStores.GALLERY_PENDING,
                    DashboardStores.GALLERY_PENDING_ORDER,
                    DashboardStores.GALLERY_INDEX,
                    DashboardStores.GALLERY_ENTRIES)),
            Map.entry(
                DashboardTopology.DRIFT_MONITOR,
                Set.of(
                    DashboardStores.MODELS_LIVE,
                    DashboardStores.DRIFT_OBSERVATIONS,
                    DashboardStores.DRIFT_STATUS,
                    DashboardStores.DRIFT_ALERTS)),
            Map.entry(
                DashboardTopology.MODEL_REGISTRY,
                Set.of(
                    DashboardStores.MODELS_LIVE,
                    DashboardStores.MODEL_VERSIONS,
                    DashboardStores.MODEL_TIMELINE,
                    DashboardStores.TRAINING_LATEST)),
            Map.entry(
                DashboardTopology.DEADLETTER_LOG,
                Set.of(DashboardStores.DEADLETTER_RECENT, DashboardStores.DEADLETTER_TOTALS)),
            Map.entry("quality-window-aggregate", Set.of(DashboardStores.QUALITY_WINDOWS)),
            Map.entry("mask-window-aggregate", Set.of(DashboardStores.MASK_WINDOWS)),
            Map.entry("deadletter-window-count", Set.of(DashboardStores.DEADLETTER_WINDOWS)),
            Map.entry(
                DashboardTopology.STUDY_RESULTS,
                Set.of(DashboardStores.STUDY_RESULTS, DashboardStores.STUDY_RESULTS_ORDER)));

    // The drift monitor shares a task with the registry (it reads models-live): one sub-topology.
    TopologyDescription.Subtopology control =
        description.subtopologies().stream()
            .filter(s -> s.nodes().contains(nodes.get(DashboardTopology.DRIFT_MONITOR)))
            .findFirst()
            .orElseThrow();
    assertThat(control.nodes()).contains(nodes.get(DashboardTopology.MODEL_REGISTRY));
    assertThat(
            ((TopologyDescription.Source) nodes.get("quality-by-model-repartition-source"))
                .topicSet())
        .containsExactly(DashboardTopology.QUALITY_BY_MODEL + "-repartition");
    assertThat(((TopologyDescription.Sink) nodes.get(DashboardTopology.RETRAIN_SINK)).topic())
        .isEqualTo(topics.retrain().name());
    assertThat(nodes.get(DashboardTopology.RETRAIN_SINK).predecessors())
        .containsExactly(nodes.get(DashboardTopology.DRIFT_MONITOR));
    Map<String, String> sources = new HashMap<>();
    nodes.values().stream()
        .filter(n -> n instanceof TopologyDescription.Source)
        .forEach(
            n ->
                ((TopologyDescription.Source) n)
                    .topicSet()
                    .forEach(topic -> sources.put(n.name(), topic)));
    assertThat(sources)
        .containsEntry(DashboardTopology.QUALITY_SOURCE, topics.quality().name())
        .containsEntry(DashboardTopology.MASKS_SOURCE, topics.masks().name())
        .containsEntry(DashboardTopology.SLICES_SOURCE, topics.slices().name())
        .containsEntry(DashboardTopology.MODELS_SOURCE, topics.models().name())
        .containsEntry(DashboardTopology.TRAINING_SOURCE, topics.training().name())
        .containsEntry(DashboardTopology.DEADLETTER_SOURCE, topics.deadletter().name());
  }

  @Test
  void qualityIsAggregatedPerWindowBySeriesVersionAndSequence() {
    start(Map.of());
    // Window 09:00: two labelled T2 slices of v1 and one unlabelled.
    pipeQuality("a", 0, Sequence.T2, 1, Events.dice(0.99, 0.90, 0.80, 0.70), T0.plusSeconds(5));
    pipeQuality("a", 1, Sequence.T2, 1, Events.dice(0.99, 0.80, null, 0.90), T0.plusSeconds(20));
    pipeQuality("a", 2, Sequence.T2, 1, null, T0.plusSeconds(40));
    // Window 09:01: one T1 slice of v2.
    pipeQuality("b", 0, Sequence.T1, 2, Events.dice(0.99, 0.60, 0.50, 0.40), T0.plusSeconds(65));

    List<PageState.Series> series =
        queries.quality(T0.toEpochMilli(), T0.plusSeconds(600).toEpochMilli());
    assertThat(series)
        .extracting(PageState.Series::key)
        .containsExactly(
            "all", "sequence:T1", "sequence:T2", "version:spine-unet:1", "version:spine-unet:2");
    PageState.Series all = series.get(0);
    assertThat(all.points()).hasSize(2);
    PageState.QualityPoint first = all.points().get(0);
    assertThat(first.t()).isEqualTo(T0.toEpochMilli());
    assertThat(first.count()).isEqualTo(3);
    assertThat(first.labelled()).isEqualTo(2);
    assertThat(first.dice().get(1)).isCloseTo(0.85, within(1e-12));
    assertThat(first.dice().get(2))
        .as("an undefined class adds nothing")
        .isCloseTo(0.80, within(1e-12));
    assertThat(first.dice().get(3)).isCloseTo(0.80, within(1e-12));
    assertThat(first.iou().get(1)).isCloseTo((0.9 / 1.1 + 0.8 / 1.2) / 2, within(1e-12));
    assertThat(first.signals().get("meanMaxProbability")).isCloseTo(0.9, within(1e-12));
    assertThat(first.signals().get("plausibilityScore")).isCloseTo(2 / 3.0, within(1e-12));
    assertThat(all.points().get(1).t()).isEqualTo(T0.plusSeconds(60).toEpochMilli());
    assertThat(all.points().get(1).dice().get(1)).isCloseTo(0.60, within(1e-12));

    PageState.Series t1 = series.get(1);
    assertThat(t1.label()).isEqualTo("T1");
    assertThat(t1.points()).hasSize(1);
    assertThat(series.get(4).label()).isEqualTo("spine-unet v2");
    assertThat(series.get(3).points().get(0).labelled()).isEqualTo(2);
  }

  @Test
  void partialLabelsAverageOnlyTheClassesTheyLabel() {
    start(Map.of());
    // Window 09:00: a complete label, a disc-only label, vertebral bodies (no Dice) and discs.
    pipeQuality("a", 0, Sequence.T2, 1, Events.dice(0.99, 0.90, 0.80, 0.70), T0.plusSeconds(5));
    pipePartial("a", 1, List.of(Events.scored(3, 0.50)), T0.plusSeconds(10));
    pipePartial(
        "a", 2, List.of(Events.bodiesOnly(0.9, 1.5), Events.scored(3, 0.60)), T0.plusSeconds(15));
    // Window 09:01: disc-only labels alone.
    pipePartial("b", 0, List.of(Events.scored(3, 0.40)), T0.plusSeconds(65));
    pipePartial("b", 1, List.of(Events.scored(3, 0.60)), T0.plusSeconds(70));

    PageState.Series all =
        queries.quality(T0.toEpochMilli(), T0.plusSeconds(600).toEpochMilli()).get(0);
    PageState.QualityPoint mixed = all.points().get(0);
    assertThat(mixed.labelled()).isEqualTo(3);
    assertThat(mixed.dice().get(1)).as("bodies-only has no Dice").isCloseTo(0.90, within(1e-12));
    assertThat(mixed.dice().get(2)).isCloseTo(0.80, within(1e-12));
    assertThat(mixed.dice().get(3)).isCloseTo((0.7 + 0.5 + 0.6) / 3, within(1e-12));
    assertThat(mixed.diceSlices()).containsExactly(1L, 1L, 1L, 3L);
    PageState.QualityPoint discsOnly = all.points().get(1);
    assertThat(discsOnly.labelled()).isEqualTo(2);
    assertThat(discsOnly.dice()).containsExactly(null, null, null, 0.5);
    assertThat(discsOnly.iou().subList(1, 3)).containsOnlyNulls();
    assertThat(discsOnly.diceSlices()).containsExactly(0L, 0L, 0L, 2L);
  }

  @Test
  void theGalleryRanksPartialLabelsByTheClassesTheyLabelOnly() {
    start(Map.of(DashboardSettings.GALLERY_SIZE.name(), "4"));
    List<PhantomSlices.SliceData> study =
        PhantomSlices.study(io.spineflow.imaging.Sequence.T2, 5, false);
    pipeSlice(study.get(4), 0.60, true, T0.plusSeconds(1));
    // Discs at 0.95: a good slice, not (0 + 0 + 0.95) / 3.
    pipeSlice(study.get(5), List.of(Events.scored(3, 0.95)), T0.plusSeconds(2));
    // Bodies only: no Dice at all, so it is ranked among the slices without one, never as worst.
    pipeSlice(study.get(6), List.of(Events.bodiesOnly(0.9, 1.5)), T0.plusSeconds(3));
    pipeSlice(study.get(7), 0.80, true, T0.plusSeconds(4));

    List<PageState.GalleryItem> gallery = queries.gallery();
    assertThat(gallery)
        .extracting(PageState.GalleryItem::key)
        .containsExactly(
            Events.key(study.get(4)),
            Events.key(study.get(7)),
            Events.key(study.get(5)),
            Events.key(study.get(6)));
    PageState.GalleryItem discs = gallery.get(2);
    assertThat(discs.meanDice()).isEqualTo(0.95);
    assertThat(discs.dice()).containsExactly(null, null, null, 0.95);
    assertThat(discs.labelledClasses()).containsExactly(false, false, false, true);
    assertThat(discs.bodyRecall()).isNull();
    PageState.GalleryItem bodies = gallery.get(3);
    assertThat(bodies.meanDice()).isNull();
    assertThat(bodies.severity()).isLessThan(1);
    assertThat(bodies.labelledClasses()).containsExactly(false, true, false, false);
    assertThat(bodies.bodyRecall()).isEqualTo(0.9);
    assertThat(bodies.bodyAreaRatio()).isEqualTo(1.5);
    assertThat(gallery.get(0).labelledClasses()).containsOnly(true);
    assertThat(gallery.get(0).bodyAreaRatio()).isNull();
  }

  @Test
  void lateRecordsCountWithinTheGraceAndAreDroppedAfterIt() {
    start(Map.of(DashboardSettings.GRACE.name(), "30s"));
    pipeQuality("a", 0, Sequence.T2, 1, Events.dice(1.0, 0.9, 0.9, 0.9), T0.plusSeconds(10));
    pipeQuality("a", 1, Sequence.T2, 1, Events.dice(1.0, 0.9, 0.9, 0.9), T0.plusSeconds(70));
    // 09:00 window closes at 09:01:30 with a 30 s grace; this one is on time.
    pipeQuality("a", 2, Sequence.T2, 1, Events.dice(1.0, 0.5, 0.5, 0.5), T0.plusSeconds(30));
    pipeQuality("a", 3, Sequence.T2, 1, Events.dice(1.0, 0.9, 0.9, 0.9), T0.plusSeconds(200));
    // Now stream time is 09:03:20: the 09:00 window is closed.
    pipeQuality("a", 4, Sequence.T2, 1, Events.dice(1.0, 0.1, 0.1, 0.1), T0.plusSeconds(50));
    PageState.QualityPoint first =
        queries
            .quality(T0.toEpochMilli(), T0.plusSeconds(600).toEpochMilli())
            .get(0)
            .points()
            .get(0);
    assertThat(first.count()).isEqualTo(2);
    assertThat(first.dice().get(1)).isCloseTo(0.7, within(1e-12));
  }

  @Test
  void throughputAndLatencyPercentilesPerWindow() {
    start(Map.of());
    for (int i = 1; i <= 100; i++) {
      masks.pipeInput(
          "s/" + i,
          Events.mask("s", i, 1, 10L * i, T0.plusMillis(500L * i)),
          T0.plusMillis(500L * i));
    }
    List<PageState.ThroughputPoint> points =
        queries.throughput(T0.toEpochMilli(), T0.plusSeconds(600).toEpochMilli());
    assertThat(points).hasSize(1);
    PageState.ThroughputPoint p = points.get(0);
    assertThat(p.count()).isEqualTo(100);
    assertThat(p.perSecond()).isCloseTo(100 / 60.0, within(1e-9));
    assertThat(p.meanLatency()).isCloseTo(505, within(1e-9));
    assertThat(p.p50()).isCloseTo(500, within(500 * 0.08));
    assertThat(p.p95()).isCloseTo(950, within(950 * 0.08));
    assertThat(p.p99()).isLessThanOrEqualTo(1000);
    assertThat(p.meanBatchSize()).isEqualTo(8);
    assertThat(p.meanInferenceMillis()).isEqualTo(120);
  }

  @Test
  void deadLettersByReasonWithTheMostRecentCapped() {
    start(Map.of(DashboardSettings.RECENT_MAX.name(), "3"));
    String hostile = "<img src=x onerror=alert(1)> header bomb & \"quotes\"";
    for (int i = 0; i < 5; i++) {
      deadletters.pipeInput(
          "study-" + i,
          Events.deadLetter(
              i < 3 ? "HEADER_BOMB" : "TRUNCATED_DATA",
              i == 4 ? hostile : "m" + i,
              T0.plusSeconds(i)),
          T0.plusSeconds(i));
    }
    PageState.DeadLetters d =
        queries.deadLetters(T0.toEpochMilli(), T0.plusSeconds(600).toEpochMilli());
    assertThat(d.total()).isEqualTo(5);
    assertThat(d.reasons())
        .containsExactly(
            new PageState.ReasonCount("HEADER_BOMB", 3, 3),
            new PageState.ReasonCount("TRUNCATED_DATA", 2, 2));
    assertThat(d.recent())
        .extracting(DeadLetterView::key)
        .containsExactly("study-4", "study-3", "study-2");
    assertThat(d.recent().get(0).message())
        .as("kept as text, escaped only when shown")
        .isEqualTo(hostile);
    String json = new String(Json.page(d), StandardCharsets.UTF_8);
    assertThat(json).doesNotContain("<", ">", "&").contains("\\u003Cimg");
  }

  @Test
  void modelTimelineVersionsAndTrainingProgress() {
    start(Map.of());
    models.pipeInput(
        Events.MODEL,
        Events.announcement(1, AnnouncementKind.PROMOTED, Events.validation(0.9, 0.85, 0.88), T0),
        T0);
    training.pipeInput(
        Events.MODEL,
        Events.training(TrainingPhase.STARTED, 0, 100, null, "", T0.plusSeconds(10)),
        T0.plusSeconds(10));
    training.pipeInput(
        Events.MODEL,
        Events.training(TrainingPhase.PROGRESS, 50, 100, null, "", T0.plusSeconds(20)),
        T0.plusSeconds(20));
    training.pipeInput(
        Events.MODEL,
        Events.training(TrainingPhase.EVALUATED, 100, 100, 2, "", T0.plusSeconds(30)),
        T0.plusSeconds(30));
    models.pipeInput(
        Events.MODEL,
        Events.announcement(
            2, AnnouncementKind.PROMOTED, Events.validation(0.93, 0.88, 0.9), T0.plusSeconds(40)),
        T0.plusSeconds(40));
    training.pipeInput(
        Events.MODEL,
        Events.training(
            TrainingPhase.REJECTED,
            100,
            100,
            3,
            "Dice of the discs fell by 0.04",
            T0.plusSeconds(50)),
        T0.plusSeconds(50));
    models.pipeInput(
        Events.MODEL,
        Events.announcement(
            1, AnnouncementKind.ROLLBACK, Events.validation(0.9, 0.85, 0.88), T0.plusSeconds(60)),
        T0.plusSeconds(60));

    PageState.Models m = queries.models();
    assertThat(m.live())
        .singleElement()
        .satisfies(
            live -> {
              assertThat(live.version()).isEqualTo(1);
              assertThat(live.status()).isEqualTo("ROLLBACK");
              assertThat(live.validationMetrics()).containsEntry("dice.vertebrae", 0.9);
            });
    assertThat(m.versions())
        .extracting(
            PageState.ModelRow::version, PageState.ModelRow::status, PageState.ModelRow::live)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(3, "REJECTED", false),
            org.assertj.core.groups.Tuple.tuple(2, "PROMOTED", false),
            org.assertj.core.groups.Tuple.tuple(1, "ROLLBACK", true));
    assertThat(m.versions().get(0).message()).contains("discs");
    assertThat(m.timeline())
        .extracting(TimelineEntry::kind)
        .as("newest first, progress left out")
        .containsExactly("ROLLBACK", "REJECTED", "PROMOTED", "EVALUATED", "STARTED", "PROMOTED");
    assertThat(m.timeline().get(0).detail()).startsWith("rolled back to v1");
    assertThat(m.training())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.phase()).isEqualTo("REJECTED");
              assertThat(t.candidateVersion()).isEqualTo(3);
            });
    assertThat(queries.retrain().models()).containsExactly(Events.MODEL);
  }

  @Test
  void galleryKeepsTheWorstRecentSlicesWorstFirst() throws Exception {
    start(
        Map.of(
            DashboardSettings.GALLERY_SIZE.name(),
            "3",
            DashboardSettings.GALLERY_HORIZON.name(),
            "5m"));
    List<PhantomSlices.SliceData> study =
        PhantomSlices.study(io.spineflow.imaging.Sequence.T2, 5, false);
    double[] dice = {0.91, 0.52, 0.83, 0.31, 0.95};
    Instant at = T0;
    for (int i = 0; i < dice.length; i++) {
      at = at.plusSeconds(1);
      pipeSlice(study.get(4 + i), dice[i], true, at);
    }
    List<PageState.GalleryItem> gallery = queries.gallery();
    assertThat(gallery)
        .extracting(PageState.GalleryItem::meanDice)
        .containsExactly(0.31, 0.52, 0.83);
    PageState.GalleryItem worst = gallery.get(0);
    assertThat(worst.key()).isEqualTo(Events.key(study.get(7)));
    assertThat(worst.truthUrl()).isNotNull();
    assertThat(worst.predictionUrl())
        .startsWith("/api/gallery.png?key=")
        .contains("layer=prediction");

    // An unlabelled slice does not push out a labelled failure...
    at = at.plusSeconds(1);
    pipeSlice(study.get(10), Double.NaN, false, at);
    assertThat(queries.gallery())
        .extracting(PageState.GalleryItem::meanDice)
        .containsExactly(0.31, 0.52, 0.83);
    // ...but after the horizon the oldest goes first, whatever its Dice.
    at = at.plusSeconds(400);
    pipeSlice(study.get(11), 0.97, true, at);
    assertThat(queries.gallery())
        .extracting(item -> Math.round(item.meanDice() * 100) / 100.0)
        .containsExactly(0.31, 0.83, 0.97);

    // The overlay is a PNG of the slice with the prediction's colours.
    GalleryEntry entry = queries.galleryEntry(worst.key()).orElseThrow();
    byte[] png = new GalleryImages().png(entry, GalleryImages.Layer.PREDICTION).orElseThrow();
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(image.getHeight()).isGreaterThanOrEqualTo(256);
    assertThat(new GalleryImages().png(entry, GalleryImages.Layer.TRUTH)).isPresent();
  }

  @Test
  void pendingSlicesAreCapped() {
    start(Map.of(DashboardSettings.GALLERY_PENDING_MAX.name(), "4"));
    List<PhantomSlices.SliceData> study =
        PhantomSlices.study(io.spineflow.imaging.Sequence.T2, 5, false);
    for (int i = 0; i < 10; i++) {
      slices.pipeInput(
          Events.key(study.get(i)),
          Events.slice(study.get(i), true, T0, T0.plusSeconds(i)),
          T0.plusSeconds(i));
    }
    assertThat(driver.getKeyValueStore(DashboardStores.GALLERY_PENDING).approximateNumEntries())
        .isEqualTo(4);
    assertThat(
            driver.getKeyValueStore(DashboardStores.GALLERY_PENDING_ORDER).approximateNumEntries())
        .isEqualTo(4);
    // The oldest were dropped: a late mask and quality for slice 0 complete nothing.
    PhantomSlices.SliceData first = study.get(0);
    masks.pipeInput(
        Events.key(first),
        Events.mask(first, first.label(), 1, T0, T0.plusSeconds(20)),
        T0.plusSeconds(20));
    quality.pipeInput(
        Events.key(first),
        Events.quality(
            first.studyUid(),
            0,
            Sequence.T2,
            1,
            Events.dice(1.0, 0.5, 0.5, 0.5),
            T0.plusSeconds(20)),
        T0.plusSeconds(20));
    assertThat(queries.gallery()).isEmpty();
    // The newest are still waiting and complete.
    PhantomSlices.SliceData last = study.get(9);
    masks.pipeInput(
        Events.key(last),
        Events.mask(last, last.label(), 1, T0, T0.plusSeconds(21)),
        T0.plusSeconds(21));
    quality.pipeInput(
        Events.key(last),
        Events.quality(
            last.studyUid(),
            9,
            Sequence.T2,
            1,
            Events.dice(1.0, 0.5, 0.5, 0.5),
            T0.plusSeconds(21)),
        T0.plusSeconds(21));
    assertThat(queries.gallery())
        .extracting(PageState.GalleryItem::key)
        .containsExactly(Events.key(last));
  }

  @Test
  void thePageStateIsStrictJsonWithoutNaN() {
    start(Map.of());
    pipeQuality("a", 0, Sequence.T2, 1, null, T0.plusSeconds(5));
    String json = new String(Json.page(queries.state(Duration.ofHours(1))), StandardCharsets.UTF_8);
    assertThat(json).doesNotContain("NaN", "Infinity").contains("\"retrain\":{\"enabled\":true");
  }

  private void pipeQuality(
      String study, int slice, Sequence sequence, int version, Double[] dice, Instant at) {
    quality.pipeInput(
        study + "/" + slice, Events.quality(study, slice, sequence, version, dice, at), at);
  }

  /**
   * A slice with its mask (the label with a few rows shifted) and a quality of mean Dice {@code
   * dice}.
   */
  private void pipeSlice(PhantomSlices.SliceData s, double dice, boolean labelled, Instant at) {
    slices.pipeInput(
        Events.key(s),
        Events.slice(s, labelled, at.minusSeconds(30), at.minusMillis(200)),
        at.minusMillis(200));
    masks.pipeInput(
        Events.key(s), Events.mask(s, shifted(s.label()), 1, at.minusSeconds(30), at), at);
    Double d = Double.isNaN(dice) ? null : dice;
    quality.pipeInput(
        Events.key(s),
        Events.quality(
            s.studyUid(),
            s.sliceIndex(),
            Sequence.T2,
            1,
            labelled ? Events.dice(0.99, d, d, d) : null,
            at),
        at);
  }

  private void pipePartial(String study, int slice, List<ClassMetrics> perClass, Instant at) {
    quality.pipeInput(
        study + "/" + slice, Events.quality(study, slice, Sequence.T2, 1, perClass, at), at);
  }

  /** A labelled slice with its mask and a quality of exactly the class entries {@code perClass}. */
  private void pipeSlice(PhantomSlices.SliceData s, List<ClassMetrics> perClass, Instant at) {
    slices.pipeInput(
        Events.key(s),
        Events.slice(s, true, at.minusSeconds(30), at.minusMillis(200)),
        at.minusMillis(200));
    masks.pipeInput(
        Events.key(s), Events.mask(s, shifted(s.label()), 1, at.minusSeconds(30), at), at);
    quality.pipeInput(
        Events.key(s),
        Events.quality(s.studyUid(), s.sliceIndex(), Sequence.T2, 1, perClass, at),
        at);
  }

  private static byte[] shifted(byte[] label) {
    byte[] out = new byte[label.length];
    int size = PhantomSlices.SIZE;
    System.arraycopy(label, 2 * size, out, 0, label.length - 2 * size);
    return out;
  }
}
