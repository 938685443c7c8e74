package io.spineflow.preprocess;

import static io.spineflow.preprocess.PreprocessSettings.APPLICATION_ID;
import static io.spineflow.preprocess.PreprocessSettings.CLAIM_CHECK_DIR;
import static io.spineflow.preprocess.PreprocessSettings.FILTER_IMBALANCE;
import static io.spineflow.preprocess.PreprocessSettings.FILTER_MISSING_CLASS;
import static io.spineflow.preprocess.PreprocessSettings.FILTER_SPINE_REGION;
import static io.spineflow.preprocess.PreprocessSettings.LOWER_PERCENTILE;
import static io.spineflow.preprocess.PreprocessSettings.MAX_IMBALANCE_RATIO;
import static io.spineflow.preprocess.PreprocessSettings.SLICE_HEIGHT;
import static io.spineflow.preprocess.PreprocessSettings.SLICE_WIDTH;
import static io.spineflow.preprocess.PreprocessSettings.SPINE_HALF_WIDTH_MM;
import static io.spineflow.preprocess.PreprocessSettings.STREAM_THREADS;
import static io.spineflow.preprocess.PreprocessSettings.UPPER_PERCENTILE;

import io.spineflow.platform.CommonSettings;
import io.spineflow.platform.ConfigException;
import io.spineflow.platform.Settings;
import io.spineflow.preprocess.slicing.IntensityNormaliser;
import io.spineflow.preprocess.slicing.SagittalSlicer;
import io.spineflow.preprocess.slicing.SliceFilter;
import io.spineflow.preprocess.slicing.SpineRegion;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The preprocess service's configuration, resolved from {@link PreprocessSettings} (one field per
 * row) and injected through the service's constructor.
 *
 * @param claimCheckDir the claim-check store shared with ingest
 */
public record PreprocessConfig(
    String applicationId,
    int sliceWidth,
    int sliceHeight,
    double lowerPercentile,
    double upperPercentile,
    boolean filterMissingClass,
    boolean filterImbalance,
    double maxImbalanceRatio,
    boolean filterSpineRegion,
    double spineHalfWidthMm,
    Path claimCheckDir,
    int streamThreads) {

  /** Slices are at most 1024² (≈5 MiB of float32 would pass no topic limit anyway). */
  public static final int MAX_SLICE_SIDE = 1024;

  public PreprocessConfig {
    Objects.requireNonNull(applicationId, "applicationId");
    Objects.requireNonNull(claimCheckDir, "claimCheckDir");
    if (!(lowerPercentile >= 0 && lowerPercentile < upperPercentile && upperPercentile <= 100)) {
      throw new ConfigException(
          LOWER_PERCENTILE.name(),
          "percentiles must satisfy 0 <= lower < upper <= 100, got "
              + lowerPercentile
              + " and "
              + upperPercentile);
    }
  }

  /** Resolves every setting (command line over environment over default). */
  public static PreprocessConfig from(Settings settings) {
    String claims = settings.string(CLAIM_CHECK_DIR);
    Path claimCheckDir =
        claims.isEmpty()
            ? settings.path(CommonSettings.DATA_DIR).resolve("claims")
            : settings.path(CLAIM_CHECK_DIR);
    String applicationId = settings.string(APPLICATION_ID);
    if (applicationId.isEmpty()) {
      throw new ConfigException(APPLICATION_ID.name(), "must not be empty");
    }
    return new PreprocessConfig(
        applicationId,
        settings.integer(SLICE_WIDTH, 8, MAX_SLICE_SIDE),
        settings.integer(SLICE_HEIGHT, 8, MAX_SLICE_SIDE),
        settings.decimal(LOWER_PERCENTILE, 0, 100),
        settings.decimal(UPPER_PERCENTILE, 0, 100),
        settings.bool(FILTER_MISSING_CLASS),
        settings.bool(FILTER_IMBALANCE),
        settings.decimal(MAX_IMBALANCE_RATIO, 1, Double.MAX_VALUE),
        settings.bool(FILTER_SPINE_REGION),
        settings.decimal(SPINE_HALF_WIDTH_MM, 0, 1000),
        claimCheckDir.toAbsolutePath(),
        settings.integer(STREAM_THREADS, 1, 64));
  }

  /** Every default, with the claim-check store under {@code dataDir}. */
  public static PreprocessConfig defaults(Path dataDir) {
    return from(Settings.of(java.util.Map.of(CommonSettings.DATA_DIR.name(), dataDir.toString())));
  }

  /** A copy with another model input size (e.g. the paper profile's 256 or 512). */
  public PreprocessConfig withSliceSize(int width, int height) {
    return new PreprocessConfig(
        applicationId,
        width,
        height,
        lowerPercentile,
        upperPercentile,
        filterMissingClass,
        filterImbalance,
        maxImbalanceRatio,
        filterSpineRegion,
        spineHalfWidthMm,
        claimCheckDir,
        streamThreads);
  }

  /** The pure image pipeline this configuration describes. */
  public SagittalSlicer slicer() {
    return new SagittalSlicer(
        sliceWidth,
        sliceHeight,
        new IntensityNormaliser(lowerPercentile, upperPercentile),
        new SliceFilter(filterMissingClass, filterImbalance, maxImbalanceRatio),
        new SpineRegion(filterSpineRegion, spineHalfWidthMm));
  }
}
