package io.spineflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.events.AnnouncementKind;
import io.spineflow.events.ClassMetrics;
import io.spineflow.events.ModelAnnouncement;
import io.spineflow.events.Quality;
import io.spineflow.events.RetrainOrigin;
import io.spineflow.events.RetrainRequest;
import io.spineflow.imaging.Sequence;
import io.spineflow.schemas.Topics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drift rules through the real topology, with the default thresholds.
 *
 * <p><b>Label-free rule, quiet, on phantom traffic.</b> The signals are computed, as inference
 * computes them ({@link io.spineflow.imaging.metrics.LabelFreeSignals}), from the predictions of a
 * {@link StandInSegmenter} on slices of the project's phantom studies. The reference is 12
 * unshifted patients (mixed T1/T2/T2 SPACE, ≈ 200 slices); "unshifted traffic" is 24 other
 * unshifted patients (≈ 430 slices, ≈ 23 evaluations of a sliding window). The traffic is
 * unlabelled, so only the label-free rule can fire.
 *
 * <p><b>Label-free rule, firing, on drawn signals.</b> The rule's KS test counts studies, not
 * slices, as its evidence (each study's mean signal); on the stand-in segmenter the phantom {@code
 * shift} moves the study means only partly apart (KS D 0.44–0.67 over 12 and 16 studies, p &gt;
 * 0.001), while the real starter model's signals on shifted phantoms separate (bench drift). So the
 * shifted traffic here is drawn per study, as that model behaves: less confident, more uncertain,
 * less canal and fewer discs.
 *
 * <p><b>Dice rule, on drawn Dice.</b> The stand-in segmenter's Dice is not a model's, so labelled
 * traffic draws per-slice Dice around the live model's validation Dice: unshifted within the
 * margin, shifted well below it for the discs.
 */
class DriftDetectionTest {
  private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
  private static final Map<String, Double> BASELINE = Events.validation(0.92, 0.88, 0.90);

  private static StandInSegmenter segmenter;

  @TempDir Path stateDir;
  private final Topics topics = Topics.defaults();
  private TopologyTestDriver driver;
  private TestInputTopic<String, Quality> quality;
  private TestInputTopic<String, ModelAnnouncement> models;
  private TestOutputTopic<String, RetrainRequest> retrain;
  private DashboardQueries queries;
  private Instant now;

  @BeforeAll
  static void fitStandIn() {
    List<PhantomSlices.SliceData> training = new ArrayList<>();
    for (long seed = 1; seed <= 4; seed++) {
      training.addAll(PhantomSlices.study(sequence(seed), seed, false));
    }
    segmenter = StandInSegmenter.fit(training);
  }

  @BeforeEach
  void start() {
    start(DashboardConfig.defaults("operator-token-0123456789"));
  }

  private void start(DashboardConfig config) {
    if (driver != null) {
      driver.close();
    }
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "dashboard-drift-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(DashboardTopology.buildTopology(config, topics), props);
    quality =
        driver.createInputTopic(
            topics.quality().name(),
            topics.quality().keySerde().serializer(),
            topics.quality().valueSerde().serializer());
    models =
        driver.createInputTopic(
            topics.models().name(),
            topics.models().keySerde().serializer(),
            topics.models().valueSerde().serializer());
    retrain =
        driver.createOutputTopic(
            topics.retrain().name(),
            topics.retrain().keySerde().deserializer(),
            topics.retrain().valueSerde().deserializer());
    queries =
        new DashboardQueries(
            new DriverStores(driver), config, Clock.fixed(T0.plusSeconds(7200), ZoneOffset.UTC));
    now = T0;
    models.pipeInput(
        Events.MODEL, Events.announcement(1, AnnouncementKind.PROMOTED, BASELINE, now), now);
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @Test
  void unshiftedPhantomTrafficStaysQuiet() {
    int reference = pipePhantoms(100, 12, false);
    assertThat(reference).isGreaterThanOrEqualTo(DriftRules.DEFAULTS.referenceSize());
    int mostDrifted = 0;
    int evaluations = 0;
    for (long seed = 200; seed < 224; seed++) {
      pipePhantoms(seed, 1, false);
      PageState.LabelFreeView labelFree = versionDrift(1).labelFree();
      if (labelFree != null) {
        evaluations++;
        mostDrifted = Math.max(mostDrifted, labelFree.drifted());
      }
    }
    System.out.println("quiet: most drifted signals " + mostDrifted + " over " + evaluations);
    assertThat(evaluations).isGreaterThan(10);
    assertThat(mostDrifted).isLessThan(DriftRules.DEFAULTS.minDriftedSignals());

    PageState.VersionDrift v1 = versionDrift(1);
    assertThat(v1.labelFree()).as("the window was evaluated").isNotNull();
    assertThat(v1.labelFree().windowSize()).isEqualTo(DriftRules.DEFAULTS.windowSize());
    assertThat(v1.labelFree().firing()).isFalse();
    assertThat(queries.drift().alerts()).as("no alert at any evaluation").isEmpty();
    assertThat(retrain.readRecordsToList()).isEmpty();
    assertThat(queries.activeAlerts(AlertKind.LABEL_FREE_SHIFT)).isZero();
  }

  @Test
  void shiftedPhantomTrafficRaisesOneLabelFreeAlertAndOneRetrainRequest() {
    pipeDrawnSignals("reference", 12, false, 1);
    pipeDrawnSignals("shifted", 16, true, 2);

    PageState.VersionDrift v1 = versionDrift(1);
    System.out.println("shifted: drifted signals " + v1.labelFree().drifted());
    assertThat(v1.labelFree().firing()).isTrue();
    assertThat(v1.labelFree().drifted())
        .isGreaterThanOrEqualTo(DriftRules.DEFAULTS.minDriftedSignals());
    List<PageState.Alert> alerts = queries.drift().alerts();
    assertThat(alerts).hasSize(1);
    PageState.Alert alert = alerts.get(0);
    assertThat(alert.kind()).isEqualTo(AlertKind.LABEL_FREE_SHIFT.name());
    assertThat(alert.modelVersion()).isEqualTo(1);
    assertThat(alert.active()).isTrue();
    assertThat(alert.message()).contains("Label-free signals shifted").contains("PSI");
    assertThat(queries.activeAlerts(AlertKind.LABEL_FREE_SHIFT)).isEqualTo(1);
    assertThat(queries.activeAlerts(AlertKind.DICE_BELOW_BASELINE)).isZero();

    List<RetrainRequest> requests = values(retrain.readRecordsToList());
    assertThat(requests).hasSize(1);
    RetrainRequest request = requests.get(0);
    assertThat(request.getOrigin()).isEqualTo(RetrainOrigin.DRIFT_ALERT);
    assertThat(request.getModelName()).isEqualTo(Events.MODEL);
    assertThat(request.getRequestId()).isEqualTo("drift-spine-unet-v1-label_free");
    assertThat(request.getReason()).isEqualTo(alert.message());

    // More shifted traffic keeps the alert active but asks for nothing more.
    pipeDrawnSignals("more-shifted", 4, true, 3);
    assertThat(retrain.readRecordsToList()).isEmpty();
    assertThat(queries.drift().alerts()).hasSize(1);
  }

  @Test
  void diceWithinTheMarginStaysQuiet() {
    SplittableRandom random = new SplittableRandom(11);
    for (int i = 0; i < 400; i++) {
      pipeDice(
          i,
          1,
          draw(random, 0.92 - 0.01, 0.03),
          draw(random, 0.88, 0.04),
          draw(random, 0.90 - 0.02, 0.04));
    }
    PageState.VersionDrift v1 = versionDrift(1);
    assertThat(v1.dice()).hasSize(3);
    assertThat(v1.dice()).allSatisfy(d -> assertThat(d.n()).isEqualTo(50));
    assertThat(v1.dice()).noneMatch(PageState.ClassDiceView::firing);
    assertThat(v1.dice().get(2).baseline()).isEqualTo(0.90);
    assertThat(v1.dice().get(2).threshold())
        .isCloseTo(0.85, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(queries.drift().alerts()).isEmpty();
    assertThat(retrain.readRecordsToList()).isEmpty();
  }

  @Test
  void diceBelowBaselineRaisesOneAlertPerVersion() {
    SplittableRandom random = new SplittableRandom(12);
    for (int i = 0; i < 100; i++) {
      pipeDice(i, 1, draw(random, 0.91, 0.03), draw(random, 0.88, 0.04), draw(random, 0.89, 0.04));
    }
    assertThat(queries.drift().alerts()).isEmpty();
    // The discs degrade: mean 0.72, well below 0.90 - 0.05.
    for (int i = 100; i < 300; i++) {
      pipeDice(i, 1, draw(random, 0.91, 0.03), draw(random, 0.88, 0.04), draw(random, 0.72, 0.08));
    }
    List<PageState.Alert> alerts = queries.drift().alerts();
    assertThat(alerts).hasSize(1);
    assertThat(alerts.get(0).kind()).isEqualTo(AlertKind.DICE_BELOW_BASELINE.name());
    assertThat(alerts.get(0).message()).contains("discs").doesNotContain("vertebrae");
    List<RetrainRequest> requests = values(retrain.readRecordsToList());
    assertThat(requests)
        .extracting(RetrainRequest::getRequestId)
        .containsExactly("drift-spine-unet-v1-dice");
    assertThat(requests.get(0).getOrigin()).isEqualTo(RetrainOrigin.DRIFT_ALERT);

    // A new live version gets its own baseline, window and alert: one more request, not a storm.
    now = now.plusSeconds(1);
    models.pipeInput(
        Events.MODEL, Events.announcement(2, AnnouncementKind.PROMOTED, BASELINE, now), now);
    for (int i = 300; i < 500; i++) {
      pipeDice(i, 2, draw(random, 0.91, 0.03), draw(random, 0.88, 0.04), draw(random, 0.70, 0.08));
    }
    assertThat(values(retrain.readRecordsToList()))
        .extracting(RetrainRequest::getRequestId)
        .containsExactly("drift-spine-unet-v2-dice");
    assertThat(queries.drift().alerts()).hasSize(2);

    // Recovery clears the alert's active flag (the gauge drops) without a new request.
    for (int i = 500; i < 600; i++) {
      pipeDice(i, 2, draw(random, 0.91, 0.03), draw(random, 0.88, 0.04), draw(random, 0.90, 0.03));
    }
    assertThat(queries.activeAlerts(AlertKind.DICE_BELOW_BASELINE)).isZero();
    assertThat(retrain.readRecordsToList()).isEmpty();
  }

  @Test
  void classesAPartialLabelLeavesOutNeverFeedTheDiceRule() {
    // Disc-only labels, half of them with vertebral bodies (recall and area ratio, no Dice). Were
    // an unlabelled class counted as 0, vertebrae and canal would fire far below 0.92 and 0.88.
    SplittableRandom random = new SplittableRandom(15);
    for (int i = 0; i < 200; i++) {
      now = now.plusMillis(500);
      List<ClassMetrics> perClass = new ArrayList<>();
      if (i % 2 == 0) {
        perClass.add(Events.bodiesOnly(0.3, 2.5));
      }
      perClass.add(Events.scored(3, draw(random, 0.90, 0.03)));
      quality.pipeInput(
          "study-" + (i / 15) + "/" + (i % 15),
          Events.quality(
              "study-" + (i / 15), i % 15, io.spineflow.events.Sequence.T2, 1, perClass, now),
          now);
    }
    PageState.VersionDrift v1 = versionDrift(1);
    assertThat(v1.labelled()).isEqualTo(200);
    assertThat(v1.dice().get(0).n()).isZero();
    assertThat(v1.dice().get(0).rollingMean()).isNull();
    assertThat(v1.dice().get(1).n()).isZero();
    assertThat(v1.dice().get(1).rollingMean()).isNull();
    assertThat(v1.dice().get(2).n()).isEqualTo(50);
    assertThat(v1.dice()).noneMatch(PageState.ClassDiceView::firing);
    assertThat(queries.drift().alerts()).isEmpty();
    assertThat(retrain.readRecordsToList()).isEmpty();

    // The discs' rule still works on these slices: they fall, it fires, naming the discs alone.
    for (int i = 200; i < 300; i++) {
      now = now.plusMillis(500);
      quality.pipeInput(
          "study-" + (i / 15) + "/" + (i % 15),
          Events.quality(
              "study-" + (i / 15),
              i % 15,
              io.spineflow.events.Sequence.T2,
              1,
              List.of(Events.scored(3, draw(random, 0.60, 0.05))),
              now),
          now);
    }
    List<PageState.Alert> alerts = queries.drift().alerts();
    assertThat(alerts).hasSize(1);
    assertThat(alerts.get(0).message()).contains("discs").doesNotContain("vertebrae", "canal");
  }

  @Test
  void alertsWithoutRetrainRequestsWhenTurnedOff() {
    DashboardConfig config = DashboardConfig.defaults("operator-token-0123456789");
    start(config.withDrift(config.drift().withRetrainOnAlert(false)));
    SplittableRandom random = new SplittableRandom(13);
    for (int i = 0; i < 100; i++) {
      pipeDice(i, 1, draw(random, 0.6, 0.05), draw(random, 0.88, 0.04), draw(random, 0.9, 0.03));
    }
    List<PageState.Alert> alerts = queries.drift().alerts();
    assertThat(alerts).hasSize(1);
    assertThat(alerts.get(0).retrainRequestId()).isNull();
    assertThat(retrain.readRecordsToList()).isEmpty();
  }

  @Test
  void aStaleVersionRaisesNoAlert() {
    now = now.plusSeconds(1);
    models.pipeInput(
        Events.MODEL, Events.announcement(2, AnnouncementKind.PROMOTED, BASELINE, now), now);
    SplittableRandom random = new SplittableRandom(14);
    for (int i = 0; i < 100; i++) {
      pipeDice(i, 1, draw(random, 0.5, 0.05), draw(random, 0.5, 0.05), draw(random, 0.5, 0.05));
    }
    assertThat(queries.drift().alerts()).as("v1 is no longer live").isEmpty();
    assertThat(retrain.readRecordsToList()).isEmpty();
  }

  private PageState.VersionDrift versionDrift(int version) {
    return queries.drift().versions().stream()
        .filter(v -> v.modelVersion() == version)
        .findFirst()
        .orElseThrow();
  }

  /**
   * Pipes every slice of {@code studies} phantom patients as unlabelled quality; returns the count.
   */
  /**
   * {@code studies} unlabelled studies of 17 slices whose label-free signals are drawn: each study
   * its own level (as real studies differ from each other), its slices close to it; a shifted study
   * is less confident, more uncertain and paints less canal and fewer discs, as the real starter
   * model does on {@code phantom --shift} studies (bench drift).
   */
  private void pipeDrawnSignals(String prefix, int studies, boolean shift, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    for (int study = 0; study < studies; study++) {
      double confidence = draw(random, shift ? 0.70 : 0.90, 0.02);
      double entropy = draw(random, shift ? 0.60 : 0.25, 0.04);
      double canal = draw(random, shift ? 0.01 : 0.03, 0.004);
      double discs = draw(random, shift ? 0.02 : 0.05, 0.006);
      for (int slice = 0; slice < 17; slice++) {
        now = now.plusMillis(500);
        Quality base =
            Events.quality(
                prefix + "-" + study, slice, io.spineflow.events.Sequence.T2, 1, List.of(), now);
        double e = Math.max(0.01, entropy + 0.01 * draw(random, 0, 1));
        Quality q =
            Quality.newBuilder(base)
                .setMeanMaxProbability(Math.min(1, confidence + 0.005 * draw(random, 0, 1)))
                .setClassEntropy(List.of(e * 0.5, e, e * 1.2, e * 1.1))
                .setAreaFractions(
                    List.of(
                        0.95 - 0.12 - canal - discs, 0.12, Math.max(0, canal), Math.max(0, discs)))
                .build();
        quality.pipeInput(prefix + "-" + study + "/" + slice, q, now);
      }
    }
  }

  private int pipePhantoms(long firstSeed, int studies, boolean shift) {
    int count = 0;
    for (long seed = firstSeed; seed < firstSeed + studies; seed++) {
      for (PhantomSlices.SliceData s : PhantomSlices.study(sequence(seed), seed, shift)) {
        StandInSegmenter.Prediction p = segmenter.predict(s.pixels(), s.label());
        now = now.plusMillis(500);
        quality.pipeInput(
            Events.key(s), Events.quality(s, p.probabilities(), p.classes(), false, 1, now), now);
        count++;
      }
    }
    return count;
  }

  private void pipeDice(int slice, int version, double vertebrae, double canal, double discs) {
    now = now.plusMillis(500);
    quality.pipeInput(
        "study-" + (slice / 15) + "/" + (slice % 15),
        Events.quality(
            "study-" + (slice / 15),
            slice % 15,
            io.spineflow.events.Sequence.T2,
            version,
            Events.dice(0.99, vertebrae, canal, discs),
            now),
        now);
  }

  private static double draw(SplittableRandom random, double mean, double sd) {
    double u1 = Math.max(1e-12, random.nextDouble());
    double u2 = random.nextDouble();
    double normal = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    return Math.max(0, Math.min(1, mean + sd * normal));
  }

  private static Sequence sequence(long seed) {
    return Sequence.values()[(int) (seed % 3)];
  }

  private static <K, V> List<V> values(
      List<org.apache.kafka.streams.test.TestRecord<K, V>> records) {
    return records.stream().map(org.apache.kafka.streams.test.TestRecord::value).toList();
  }
}
