package io.spineflow.dashboard;

import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The names of the dashboard's state stores. Every store is in memory, bounded (windowed with a
 * retention, or capped), and changelogged: after a restart it is rebuilt from its changelog topic
 * before the page is served again.
 */
public final class DashboardStores {
  private DashboardStores() {}

  /** Windowed: series key ({@link SeriesKey}) → {@link QualityWindow}. */
  public static final String QUALITY_WINDOWS = "quality-windows";

  /** Windowed: {@link SeriesKey#ALL} → {@link MaskWindow} (throughput, latency). */
  public static final String MASK_WINDOWS = "mask-windows";

  /** Windowed: reason code → dead letters in the window. */
  public static final String DEADLETTER_WINDOWS = "deadletter-windows";

  /** Per partition, capped: time-ordered key → {@link DeadLetterView}. */
  public static final String DEADLETTER_RECENT = "deadletter-recent";

  /** Per partition: reason code → dead letters since the start. */
  public static final String DEADLETTER_TOTALS = "deadletter-totals";

  /** Model name → the live {@link ModelView} (latest announcement). */
  public static final String MODELS_LIVE = "models-live";

  /** {@code model|version} → {@link ModelView}, capped per model: the evaluation tables. */
  public static final String MODEL_VERSIONS = "model-versions";

  /** Capped, time-ordered key → {@link TimelineEntry}. */
  public static final String MODEL_TIMELINE = "model-timeline";

  /** Model name → the latest {@link TrainingView}. */
  public static final String TRAINING_LATEST = "training-latest";

  /** {@code model|version|seq} → label-free signal vector; reference and window only. */
  public static final String DRIFT_OBSERVATIONS = "drift-observations";

  /** {@code model|version} → {@link DriftState}. */
  public static final String DRIFT_STATUS = "drift-status";

  /** {@code model|version|kind} → {@link DriftAlert}: at most one per version and kind. */
  public static final String DRIFT_ALERTS = "drift-alerts";

  /** Per partition, capped: slice key → {@link GalleryPending} waiting for its other parts. */
  public static final String GALLERY_PENDING = "gallery-pending";

  /** Per partition: arrival-ordered key → slice key, to drop the oldest pending slice. */
  public static final String GALLERY_PENDING_ORDER = "gallery-pending-order";

  /** Per partition, capped: slice key → {@link GalleryRank} (what the gallery lists). */
  public static final String GALLERY_INDEX = "gallery-index";

  /** Per partition, capped: slice key → {@link GalleryEntry} (what the overlays are drawn from). */
  public static final String GALLERY_ENTRIES = "gallery-entries";

  /** Study UID → the latest {@link StudyResultView} ({@code segmentations}), capped. */
  public static final String STUDY_RESULTS = "study-results";

  /** Per partition: completion-ordered key → study UID, to drop the oldest study result. */
  public static final String STUDY_RESULTS_ORDER = "study-results-order";

  /**
   * A store the page reads, as the other instances fetch it: whether it is windowed and the serde
   * of its values (the topology's, so a value crosses between instances as its changelog holds it).
   */
  public record Queryable(String name, boolean windowed, Serde<?> values) {}

  private static final Map<String, Queryable> QUERYABLE =
      Map.ofEntries(
          windowed(QUALITY_WINDOWS, Json.serde(QualityWindow.class)),
          windowed(MASK_WINDOWS, Json.serde(MaskWindow.class)),
          windowed(DEADLETTER_WINDOWS, Serdes.Long()),
          keyValue(DEADLETTER_RECENT, Json.serde(DeadLetterView.class)),
          keyValue(DEADLETTER_TOTALS, Serdes.Long()),
          keyValue(MODELS_LIVE, Json.serde(ModelView.class)),
          keyValue(MODEL_VERSIONS, Json.serde(ModelView.class)),
          keyValue(MODEL_TIMELINE, Json.serde(TimelineEntry.class)),
          keyValue(TRAINING_LATEST, Json.serde(TrainingView.class)),
          keyValue(DRIFT_STATUS, Json.serde(DriftState.class)),
          keyValue(DRIFT_ALERTS, Json.serde(DriftAlert.class)),
          keyValue(GALLERY_INDEX, Json.serde(GalleryRank.class)),
          keyValue(GALLERY_ENTRIES, Json.serde(GalleryEntry.class)),
          keyValue(STUDY_RESULTS, Json.serde(StudyResultView.class)));

  /** The store {@code name} if the page reads it (what an instance serves its peers). */
  public static Optional<Queryable> queryable(String name) {
    return Optional.ofNullable(QUERYABLE.get(name));
  }

  private static Map.Entry<String, Queryable> windowed(String name, Serde<?> values) {
    return Map.entry(name, new Queryable(name, true, values));
  }

  private static Map.Entry<String, Queryable> keyValue(String name, Serde<?> values) {
    return Map.entry(name, new Queryable(name, false, values));
  }
}
