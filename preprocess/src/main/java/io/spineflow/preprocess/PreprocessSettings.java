package io.spineflow.preprocess;

import io.spineflow.platform.Setting;
import java.util.List;

/** The preprocess service's rows of the configuration table (after the common settings). */
public final class PreprocessSettings {
  private PreprocessSettings() {}

  public static final Setting APPLICATION_ID =
      new Setting(
          "preprocess.application.id",
          "SPINEFLOW_PREPROCESS_APPLICATION_ID",
          "spineflow-preprocess",
          "Kafka Streams application id: consumer group, transactional id prefix and internal"
              + " topic prefix. Instances with the same id share the work.");
  public static final Setting SLICE_WIDTH =
      new Setting(
          "preprocess.slice.width",
          "SPINEFLOW_PREPROCESS_SLICE_WIDTH",
          "128",
          "Model input columns (anterior to posterior). The paper profile uses 256 or 512.");
  public static final Setting SLICE_HEIGHT =
      new Setting(
          "preprocess.slice.height",
          "SPINEFLOW_PREPROCESS_SLICE_HEIGHT",
          "128",
          "Model input rows (superior to inferior). The paper profile uses 256 or 512.");
  public static final Setting LOWER_PERCENTILE =
      new Setting(
          "preprocess.intensity.lower.percentile",
          "SPINEFLOW_PREPROCESS_INTENSITY_LOWER_PERCENTILE",
          "0.5",
          "Study intensity percentile mapped to 0 (lower values are clipped).");
  public static final Setting UPPER_PERCENTILE =
      new Setting(
          "preprocess.intensity.upper.percentile",
          "SPINEFLOW_PREPROCESS_INTENSITY_UPPER_PERCENTILE",
          "99.5",
          "Study intensity percentile mapped to 1 (higher values are clipped).");
  public static final Setting FILTER_MISSING_CLASS =
      new Setting(
          "preprocess.filter.missing.class",
          "SPINEFLOW_PREPROCESS_FILTER_MISSING_CLASS",
          "true",
          "Labelled studies: drop slices lacking any of the 4 classes (MISSING_CLASS), as Ahmed et"
              + " al. do.");
  public static final Setting FILTER_IMBALANCE =
      new Setting(
          "preprocess.filter.imbalance",
          "SPINEFLOW_PREPROCESS_FILTER_IMBALANCE",
          "true",
          "Labelled studies: drop slices whose class-imbalance ratio exceeds"
              + " preprocess.filter.max.imbalance.ratio (IMBALANCED).");
  public static final Setting MAX_IMBALANCE_RATIO =
      new Setting(
          "preprocess.filter.max.imbalance.ratio",
          "SPINEFLOW_PREPROCESS_FILTER_MAX_IMBALANCE_RATIO",
          "100",
          "Largest kept ratio of the most to the least frequent class's pixels in a slice (>= 1);"
              + " see preprocess/README.md for why not the paper's '55%'.");
  public static final Setting FILTER_SPINE_REGION =
      new Setting(
          "preprocess.filter.spine.region",
          "SPINEFLOW_PREPROCESS_FILTER_SPINE_REGION",
          "true",
          "Unlabelled studies: emit only slices within preprocess.spine.half.width.mm of the"
              + " middle of the sagittal field of view (OUTSIDE_SPINE_REGION).");
  public static final Setting SPINE_HALF_WIDTH_MM =
      new Setting(
          "preprocess.spine.half.width.mm",
          "SPINEFLOW_PREPROCESS_SPINE_HALF_WIDTH_MM",
          "15",
          "Half-width in mm of the central sagittal band kept for unlabelled studies.");
  public static final Setting CLAIM_CHECK_DIR =
      new Setting(
          "preprocess.claim.check.dir",
          "SPINEFLOW_PREPROCESS_CLAIM_CHECK_DIR",
          "",
          "Claim-check directory shared with ingest when blobstore.type=file (nothing is shared"
              + " with s3); empty means <data.dir>/claims (ingest's default ingest.claims.dir).");
  public static final Setting STREAM_THREADS =
      new Setting(
          "preprocess.stream.threads",
          "SPINEFLOW_PREPROCESS_STREAM_THREADS",
          "1",
          "Kafka Streams threads (at most one per partition of studies is busy).");

  public static List<Setting> all() {
    return List.of(
        APPLICATION_ID,
        SLICE_WIDTH,
        SLICE_HEIGHT,
        LOWER_PERCENTILE,
        UPPER_PERCENTILE,
        FILTER_MISSING_CLASS,
        FILTER_IMBALANCE,
        MAX_IMBALANCE_RATIO,
        FILTER_SPINE_REGION,
        SPINE_HALF_WIDTH_MM,
        CLAIM_CHECK_DIR,
        STREAM_THREADS);
  }
}
