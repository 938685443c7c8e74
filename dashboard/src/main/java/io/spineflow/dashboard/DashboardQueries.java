package io.spineflow.dashboard;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BinaryOperator;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;

/**
 * Reads the dashboard's stores (interactive queries) into what the page shows. Stores that are
 * partitioned (gallery, recent dead letters, totals) are merged here; nothing is computed that the
 * topology did not aggregate.
 */
public final class DashboardQueries {
  /** The gallery image routes. */
  public static final String GALLERY_IMAGE_PATH = "/api/gallery.png";

  /** The study API: {@code /api/studies/{uid}}, its files under it. */
  public static final String STUDIES_PATH = "/api/studies/";

  /** The study page: {@code /study.html?uid=UID}. */
  public static final String STUDY_PAGE_PATH = "/study.html";

  /** The download names under a study's API path. */
  public static final String LABELS_FILE = "labels.mha";

  public static final String SEG_FILE = "seg.dcm";

  /** The measurement report's (DICOM SR) download under a study's path. */
  public static final String REPORT_FILE = "sr.dcm";

  private final StoreAccess stores;
  private final DashboardConfig config;
  private final Clock clock;

  public DashboardQueries(StoreAccess stores, DashboardConfig config, Clock clock) {
    this.stores = stores;
    this.config = config;
    this.clock = clock;
  }

  /** Everything the page shows for the last {@code span}. */
  public PageState state(Duration span) {
    long now = clock.millis();
    long windowMillis = config.window().toMillis();
    long from = Math.floorDiv(now - span.toMillis(), windowMillis) * windowMillis;
    return new PageState(
        now,
        from,
        now,
        windowMillis,
        config.refresh().toMillis(),
        quality(from, now),
        throughput(from, now),
        models(),
        deadLetters(from, now),
        drift(),
        gallery(),
        studies(),
        retrain());
  }

  /** Quality series, all traffic first, then sequences, then model versions. */
  public List<PageState.Series> quality(long from, long to) {
    Map<String, TreeMap<Long, QualityWindow>> bySeries =
        windows(DashboardStores.QUALITY_WINDOWS, from, to, QualityWindow::merge);
    List<PageState.Series> out = new ArrayList<>();
    List<String> keys = new ArrayList<>(bySeries.keySet());
    keys.sort(Comparator.comparing(DashboardQueries::seriesOrder).thenComparing(k -> k));
    for (String key : keys) {
      List<PageState.QualityPoint> points = new ArrayList<>();
      bySeries
          .get(key)
          .forEach(
              (start, w) -> {
                List<Double> dice = new ArrayList<>();
                List<Long> diceSlices = new ArrayList<>();
                List<Double> iou = new ArrayList<>();
                for (int c = 0; c < 4; c++) {
                  dice.add(finite(w.meanDice(c)));
                  diceSlices.add(w.diceN()[c]);
                  iou.add(finite(w.meanIou(c)));
                }
                Map<String, Double> signals = new LinkedHashMap<>();
                for (int s = 0; s < QualitySignals.COUNT; s++) {
                  signals.put(QualitySignals.NAMES.get(s), finite(w.meanSignal(s)));
                }
                points.add(
                    new PageState.QualityPoint(
                        start, w.count(), w.labelled(), dice, diceSlices, iou, signals));
              });
      String dimension =
          key.startsWith(SeriesKey.SEQUENCE_PREFIX)
              ? "sequence"
              : key.startsWith(SeriesKey.VERSION_PREFIX) ? "version" : "all";
      out.add(new PageState.Series(key, SeriesKey.label(key), dimension, points));
    }
    return out;
  }

  private static int seriesOrder(String key) {
    return key.equals(SeriesKey.ALL) ? 0 : key.startsWith(SeriesKey.SEQUENCE_PREFIX) ? 1 : 2;
  }

  /** Throughput and latency per window. */
  public List<PageState.ThroughputPoint> throughput(long from, long to) {
    double seconds = config.window().toMillis() / 1000.0;
    TreeMap<Long, MaskWindow> merged = new TreeMap<>();
    windows(DashboardStores.MASK_WINDOWS, from, to, MaskWindow::merge)
        .values()
        .forEach(series -> series.forEach((t, w) -> merged.merge(t, w, MaskWindow::merge)));
    List<PageState.ThroughputPoint> out = new ArrayList<>();
    merged.forEach(
        (t, w) ->
            out.add(
                new PageState.ThroughputPoint(
                    t,
                    w.count(),
                    finite(w.count() / seconds),
                    finite(w.latencyPercentile(50)),
                    finite(w.latencyPercentile(95)),
                    finite(w.latencyPercentile(99)),
                    ratio(w.latencySum(), w.count()),
                    ratio(w.batchSizeSum(), w.count()),
                    ratio(w.inferenceSum(), w.count()),
                    ratio(w.queueSum(), w.count()))));
    return out;
  }

  /** Live models, versions (newest first), timeline (newest first), training progress. */
  public PageState.Models models() {
    Map<String, ModelView> live = new TreeMap<>();
    all(DashboardStores.MODELS_LIVE, ModelView.class).forEach(kv -> live.put(kv.key, kv.value));
    List<PageState.ModelRow> liveRows = live.values().stream().map(v -> row(v, true)).toList();
    List<PageState.ModelRow> versions =
        all(DashboardStores.MODEL_VERSIONS, ModelView.class).stream()
            .map(kv -> kv.value)
            .sorted(
                Comparator.comparing(ModelView::modelName)
                    .thenComparing(Comparator.comparingInt(ModelView::version).reversed()))
            .map(v -> row(v, isLive(live, v.modelName(), v.version())))
            .toList();
    List<TimelineEntry> timeline =
        all(DashboardStores.MODEL_TIMELINE, TimelineEntry.class).stream()
            .map(kv -> kv.value)
            .sorted(Comparator.comparingLong(TimelineEntry::at).reversed())
            .toList();
    List<TrainingView> training =
        all(DashboardStores.TRAINING_LATEST, TrainingView.class).stream()
            .map(kv -> kv.value)
            .sorted(Comparator.comparing(TrainingView::modelName))
            .toList();
    return new PageState.Models(liveRows, versions, timeline, training);
  }

  private static boolean isLive(Map<String, ModelView> live, String model, int version) {
    ModelView current = live.get(model);
    return current != null && current.version() == version;
  }

  private static PageState.ModelRow row(ModelView v, boolean live) {
    return new PageState.ModelRow(
        v.modelName(),
        v.version(),
        v.status(),
        live,
        v.at(),
        finite(v.validationMetrics()),
        v.architecture(),
        v.parentVersion(),
        v.trainingStudies(),
        v.sha256(),
        v.message());
  }

  /** Dead letters: counts per reason (total and in the span) and the most recent ones. */
  public PageState.DeadLetters deadLetters(long from, long to) {
    Map<String, Long> totals = new TreeMap<>();
    all(DashboardStores.DEADLETTER_TOTALS, Long.class)
        .forEach(kv -> totals.merge(kv.key, kv.value, Long::sum));
    Map<String, Long> inSpan = new HashMap<>();
    windows(DashboardStores.DEADLETTER_WINDOWS, from, to, Long::sum)
        .forEach(
            (reason, series) ->
                inSpan.put(reason, series.values().stream().mapToLong(Long::longValue).sum()));
    TreeSet<String> reasons = new TreeSet<>(totals.keySet());
    reasons.addAll(inSpan.keySet());
    List<PageState.ReasonCount> counts =
        reasons.stream()
            .map(
                r ->
                    new PageState.ReasonCount(
                        r, totals.getOrDefault(r, 0L), inSpan.getOrDefault(r, 0L)))
            .sorted(
                Comparator.comparingLong(PageState.ReasonCount::inSpan)
                    .thenComparingLong(PageState.ReasonCount::total)
                    .reversed())
            .toList();
    List<DeadLetterView> recent =
        all(DashboardStores.DEADLETTER_RECENT, DeadLetterView.class).stream()
            .map(kv -> kv.value)
            .sorted(Comparator.comparingLong(DeadLetterView::at).reversed())
            .limit(config.recentMax())
            .toList();
    long total = totals.values().stream().mapToLong(Long::longValue).sum();
    return new PageState.DeadLetters(total, counts, recent);
  }

  /** Drift alerts (newest first) and the drift status of every tracked model version. */
  public PageState.Drift drift() {
    Map<String, ModelView> live = new HashMap<>();
    all(DashboardStores.MODELS_LIVE, ModelView.class).forEach(kv -> live.put(kv.key, kv.value));
    List<PageState.Alert> alerts =
        all(DashboardStores.DRIFT_ALERTS, DriftAlert.class).stream()
            .map(kv -> kv.value)
            .sorted(Comparator.comparingLong(DriftAlert::raisedAt).reversed())
            .map(
                a ->
                    new PageState.Alert(
                        a.id(),
                        a.kind().name(),
                        a.modelName(),
                        a.modelVersion(),
                        a.raisedAt(),
                        a.message(),
                        active(a, live),
                        a.checkedAt(),
                        a.retrainRequestId()))
            .toList();
    List<PageState.VersionDrift> versions =
        all(DashboardStores.DRIFT_STATUS, DriftState.class).stream()
            .map(kv -> kv.value)
            .sorted(
                Comparator.comparing(DriftState::modelName)
                    .thenComparing(Comparator.comparingInt(DriftState::modelVersion).reversed()))
            .map(s -> versionDrift(s, isLive(live, s.modelName(), s.modelVersion())))
            .toList();
    DriftRules r = config.drift();
    return new PageState.Drift(
        alerts,
        versions,
        new PageState.Rules(
            r.diceMargin(),
            r.diceWindow(),
            r.referenceSize(),
            r.windowSize(),
            r.minWindowSize(),
            r.psiThreshold(),
            r.ksAlpha(),
            r.minDriftedSignals(),
            r.retrainOnAlert()));
  }

  private static PageState.VersionDrift versionDrift(DriftState s, boolean live) {
    List<PageState.ClassDiceView> dice =
        s.dice().stream()
            .map(
                d ->
                    new PageState.ClassDiceView(
                        d.classId(),
                        d.className(),
                        finite(d.rollingMean()),
                        d.n(),
                        finite(d.baseline()),
                        finite(d.threshold()),
                        d.firing()))
            .toList();
    LabelFreeEvaluation e = s.labelFree();
    PageState.LabelFreeView labelFree =
        e == null
            ? null
            : new PageState.LabelFreeView(
                e.evaluatedAt(),
                e.observations(),
                e.referenceSize(),
                e.windowSize(),
                e.drifted(),
                e.firing(),
                e.signals().stream()
                    .map(
                        v ->
                            new PageState.SignalView(
                                v.signal(),
                                v.status(),
                                finite(v.psi()),
                                finite(v.ksStatistic()),
                                finite(v.ksPValue()),
                                v.drifted()))
                    .toList());
    return new PageState.VersionDrift(
        s.modelName(), s.modelVersion(), live, s.observations(), s.labelled(), dice, labelFree);
  }

  /**
   * Active drift alerts of {@code kind}: what the {@code spineflow_dashboard_drift_alerts} gauge
   * reports.
   */
  public long activeAlerts(AlertKind kind) {
    Map<String, ModelView> live = new HashMap<>();
    all(DashboardStores.MODELS_LIVE, ModelView.class).forEach(kv -> live.put(kv.key, kv.value));
    return all(DashboardStores.DRIFT_ALERTS, DriftAlert.class).stream()
        .filter(kv -> kv.value.kind() == kind && active(kv.value, live))
        .count();
  }

  /**
   * An alert is active while its condition held at the last check and its version is still the live
   * one (a replaced version's alert is over, whatever its last check said).
   */
  private static boolean active(DriftAlert alert, Map<String, ModelView> live) {
    ModelView current = live.get(alert.modelName());
    return alert.active() && (current == null || current.version() == alert.modelVersion());
  }

  /** The gallery, worst first, merged over partitions. */
  public List<PageState.GalleryItem> gallery() {
    return all(DashboardStores.GALLERY_INDEX, GalleryRank.class).stream()
        .map(kv -> kv.value)
        .sorted(
            Comparator.comparingDouble(GalleryRank::severity)
                .reversed()
                .thenComparing(Comparator.comparingLong(GalleryRank::at).reversed()))
        .limit(config.gallerySize())
        .map(DashboardQueries::galleryItem)
        .toList();
  }

  private static PageState.GalleryItem galleryItem(GalleryRank r) {
    List<Double> dice = new ArrayList<>();
    for (double d : r.dice()) {
      dice.add(finite(d));
    }
    // Entries stored before partial labels: a labelled slice labels every class.
    boolean perClass = r.labelledClasses() != null;
    List<Boolean> labelledClasses = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      labelledClasses.add(
          perClass ? c < r.labelledClasses().length && r.labelledClasses()[c] : r.labelled());
    }
    return new PageState.GalleryItem(
        r.key(),
        r.studyUid(),
        r.sliceIndex(),
        r.sequence(),
        r.modelName(),
        r.modelVersion(),
        r.labelled(),
        dice,
        finite(r.meanDice()),
        finite(r.meanMaxProbability()),
        r.severity(),
        r.at(),
        imageUrl(r.key(), GalleryImages.Layer.PREDICTION, r.at()),
        r.labelled() ? imageUrl(r.key(), GalleryImages.Layer.TRUTH, r.at()) : null,
        labelledClasses,
        perClass ? finite(r.bodyRecall()) : null,
        perClass ? finite(r.bodyAreaRatio()) : null);
  }

  /** The studies with a result, most recently completed first ({@code dashboard.recent.max}). */
  public List<PageState.StudyItem> studies() {
    return stores.<StudyResultView>all(DashboardStores.STUDY_RESULTS).stream()
        .map(kv -> kv.value)
        .sorted(Comparator.comparingLong(StudyResultView::completedAt).reversed())
        .limit(config.recentMax())
        .map(DashboardQueries::studyItem)
        .toList();
  }

  private static PageState.StudyItem studyItem(StudyResultView v) {
    List<String> versions = new ArrayList<>();
    if (v.result().get("models") instanceof List<?> models) {
      for (Object m : models) {
        if (m instanceof Map<?, ?> use) {
          versions.add(use.get("modelName") + " v" + use.get("modelVersion"));
        }
      }
    }
    return new PageState.StudyItem(
        v.studyUid(),
        String.valueOf(v.result().get("sequence")),
        v.completedAt(),
        versions,
        Boolean.TRUE.equals(v.result().get("mixedModelVersions")),
        v.result().get("levelFlags") instanceof List<?> flags ? flags.size() : 0,
        studyPageUrl(v.studyUid()));
  }

  /** The study page of {@code uid}: its latest result and its slices in the gallery. */
  public Optional<PageState.StudyPage> study(String uid) {
    Optional<StudyResultView> found = stores.get(DashboardStores.STUDY_RESULTS, uid);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    StudyResultView v = found.get();
    List<PageState.GalleryItem> slices =
        stores.<GalleryRank>all(DashboardStores.GALLERY_INDEX).stream()
            .map(kv -> kv.value)
            .filter(r -> uid.equals(r.studyUid()))
            .sorted(Comparator.comparingInt(GalleryRank::sliceIndex))
            .map(DashboardQueries::galleryItem)
            .toList();
    String base = STUDIES_PATH + URLEncoder.encode(uid, StandardCharsets.UTF_8) + "/";
    return Optional.of(
        new PageState.StudyPage(
            uid,
            v.result(),
            slices,
            base + LABELS_FILE,
            v.labelFileName(),
            v.segBlob() == null ? null : base + SEG_FILE,
            v.segFileName(),
            v.reportBlob() == null ? null : base + REPORT_FILE,
            v.reportFileName()));
  }

  /** The stored result of {@code uid} (what its downloads are read from). */
  public Optional<StudyResultView> studyResult(String uid) {
    return stores.get(DashboardStores.STUDY_RESULTS, uid);
  }

  static String studyPageUrl(String uid) {
    return STUDY_PAGE_PATH + "?uid=" + URLEncoder.encode(uid, StandardCharsets.UTF_8);
  }

  /** The stored gallery entry of {@code key}, if it is (still) in the gallery. */
  public Optional<GalleryEntry> galleryEntry(String key) {
    return stores.get(DashboardStores.GALLERY_ENTRIES, key);
  }

  static String imageUrl(String key, GalleryImages.Layer layer, long at) {
    return GALLERY_IMAGE_PATH
        + "?key="
        + URLEncoder.encode(key, StandardCharsets.UTF_8)
        + "&layer="
        + layer.name().toLowerCase(java.util.Locale.ROOT)
        + "&v="
        + at;
  }

  /** The models a retrain request may name: every live model, else the default. */
  public PageState.Retrain retrain() {
    List<String> names = new ArrayList<>();
    all(DashboardStores.MODELS_LIVE, ModelView.class).forEach(kv -> names.add(kv.key));
    if (!names.contains(config.defaultModelName())) {
      names.add(config.defaultModelName());
    }
    String defaultModel = names.size() > 0 ? names.get(0) : config.defaultModelName();
    return new PageState.Retrain(config.retrainActionEnabled(), defaultModel, List.copyOf(names));
  }

  private <V> Map<String, TreeMap<Long, V>> windows(
      String store, long from, long to, BinaryOperator<V> merge) {
    Map<String, TreeMap<Long, V>> out = new TreeMap<>();
    for (KeyValue<Windowed<String>, V> next : stores.<V>windows(store, from, to)) {
      out.computeIfAbsent(next.key.key(), k -> new TreeMap<>())
          .merge(next.key.window().start(), next.value, merge);
    }
    return out;
  }

  private <V> List<KeyValue<String, V>> all(String store, Class<V> type) {
    return stores.all(store);
  }

  static Double finite(double value) {
    return Double.isFinite(value) ? value : null;
  }

  private static Double ratio(double sum, long count) {
    return count == 0 ? null : finite(sum / count);
  }

  private static Map<String, Double> finite(Map<String, Double> values) {
    Map<String, Double> out = new TreeMap<>();
    values.forEach((k, v) -> out.put(k, v == null ? null : finite(v)));
    return out;
  }
}
