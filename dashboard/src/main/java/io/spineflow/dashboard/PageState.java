package io.spineflow.dashboard;

import java.util.List;
import java.util.Map;

/**
 * Everything the page shows, as {@code GET /api/state} returns it. Numbers that are undefined are
 * null (never NaN); times are epoch milliseconds; every text comes from events and is rendered by
 * the page as text.
 *
 * @param from start of the span shown (the first window's start)
 * @param to end of the span (now)
 * @param quality per series: all traffic, each sequence, each model version
 * @param throughput masks per window, with latency percentiles
 */
public record PageState(
    long generatedAt,
    long from,
    long to,
    long windowMillis,
    long refreshMillis,
    List<Series> quality,
    List<ThroughputPoint> throughput,
    Models models,
    DeadLetters deadLetters,
    Drift drift,
    List<GalleryItem> gallery,
    List<StudyItem> studies,
    Retrain retrain) {

  /** The class names, index = class (what the page labels Dice with). */
  public static final List<String> CLASS_NAMES = DriftEvaluator.CLASS_NAMES;

  /** One quality time series. */
  public record Series(String key, String label, String dimension, List<QualityPoint> points) {}

  /**
   * One window of a quality series.
   *
   * @param t the window's start
   * @param labelled slices with a label (of any class)
   * @param dice mean Dice per class (index = class) over the slices where it is defined; null when
   *     there is none (no slice of the window labels the class, or it is undefined on all of them):
   *     never 0 for a class the labels leave unlabelled
   * @param diceSlices per class, the number of slices the mean Dice is over (what a mean over
   *     windows weighs it by)
   * @param iou mean IoU per class
   * @param signals mean of each label-free signal ({@link QualitySignals#NAMES})
   */
  public record QualityPoint(
      long t,
      long count,
      long labelled,
      List<Double> dice,
      List<Long> diceSlices,
      List<Double> iou,
      Map<String, Double> signals) {}

  /**
   * One window of masks.
   *
   * @param perSecond masks per second over the window
   * @param p50 end-to-end latency percentiles in ms (within 8%)
   */
  public record ThroughputPoint(
      long t,
      long count,
      Double perSecond,
      Double p50,
      Double p95,
      Double p99,
      Double meanLatency,
      Double meanBatchSize,
      Double meanInferenceMillis,
      Double meanQueueMillis) {}

  /** Live models, every version's evaluation, the timeline and training progress. */
  public record Models(
      List<ModelRow> live,
      List<ModelRow> versions,
      List<TimelineEntry> timeline,
      List<TrainingView> training) {}

  /** A model version with whether it is live. */
  public record ModelRow(
      String modelName,
      int version,
      String status,
      boolean live,
      long at,
      Map<String, Double> validationMetrics,
      String architecture,
      Integer parentVersion,
      int trainingStudies,
      String sha256,
      String message) {}

  /** Dead letters: counts per reason and the most recent ones. */
  public record DeadLetters(long total, List<ReasonCount> reasons, List<DeadLetterView> recent) {}

  /**
   * @param total since the dashboard started counting
   * @param inSpan within the span shown
   */
  public record ReasonCount(String reasonCode, long total, long inSpan) {}

  /** Drift alerts (newest first) and each recent model version's drift status. */
  public record Drift(List<Alert> alerts, List<VersionDrift> versions, Rules rules) {}

  public record Alert(
      String id,
      String kind,
      String modelName,
      int modelVersion,
      long raisedAt,
      String message,
      boolean active,
      long checkedAt,
      String retrainRequestId) {}

  public record VersionDrift(
      String modelName,
      int modelVersion,
      boolean live,
      long observations,
      long labelled,
      List<ClassDiceView> dice,
      LabelFreeView labelFree) {}

  public record ClassDiceView(
      int classId,
      String className,
      Double rollingMean,
      int n,
      Double baseline,
      Double threshold,
      boolean firing) {}

  public record LabelFreeView(
      long evaluatedAt,
      long observations,
      int referenceSize,
      int windowSize,
      int drifted,
      boolean firing,
      List<SignalView> signals) {}

  public record SignalView(
      String signal,
      String status,
      Double psi,
      Double ksStatistic,
      Double ksPValue,
      boolean drifted) {}

  /** The thresholds in force, so the page can say what an alert means. */
  public record Rules(
      double diceMargin,
      int diceWindow,
      int referenceSize,
      int windowSize,
      int minWindowSize,
      double psiThreshold,
      double ksAlpha,
      int minDriftedSignals,
      boolean retrainOnAlert) {}

  /**
   * A gallery slice; {@code predictionUrl} and {@code truthUrl} (null when unlabelled) are PNGs.
   *
   * @param dice per class (index = class); null where undefined or not labelled
   * @param meanDice mean over the foreground classes with a Dice; null when none has one
   * @param labelledClasses per class: whether the slice's label labels it (a partial label, e.g.
   *     discs only, leaves the others unlabelled: the page says "not labelled", never 0)
   * @param bodyRecall for vertebrae labelled as bodies only (no Dice): recall of the body pixels;
   *     else null
   * @param bodyAreaRatio likewise: predicted vertebra area / labelled body area
   */
  public record GalleryItem(
      String key,
      String studyUid,
      int sliceIndex,
      String sequence,
      String modelName,
      int modelVersion,
      boolean labelled,
      List<Double> dice,
      Double meanDice,
      Double meanMaxProbability,
      double severity,
      long at,
      String predictionUrl,
      String truthUrl,
      List<Boolean> labelledClasses,
      Double bodyRecall,
      Double bodyAreaRatio) {}

  /**
   * A study with a result ({@code segmentations}), most recently completed first; {@code pageUrl}
   * opens its study page.
   */
  public record StudyItem(
      String studyUid,
      String sequence,
      long completedAt,
      List<String> modelVersions,
      boolean mixedModelVersions,
      int levelFlags,
      String pageUrl) {}

  /**
   * One study's page ({@code GET /api/studies/{uid}}): its latest result, every field of the event
   * ({@link StudyResultView#result}), the study's slices still in the gallery with their overlays,
   * and where to download its files (null: no such file).
   */
  public record StudyPage(
      String studyUid,
      Map<String, Object> result,
      List<GalleryItem> slices,
      String labelsUrl,
      String labelsFileName,
      String segUrl,
      String segFileName,
      String reportUrl,
      String reportFileName) {}

  /** The "Retrain now" action: whether it is enabled and which models it can name. */
  public record Retrain(boolean enabled, String defaultModel, List<String> models) {}
}
