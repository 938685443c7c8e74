package io.spineflow.results;

import io.spineflow.platform.CommonSettings;
import io.spineflow.platform.ConfigException;
import io.spineflow.platform.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The results service's configuration, resolved from {@link ResultsSettings} (one field per row).
 *
 * @param studyRetention how long a revision may wait to complete, and how long a finished one is
 *     remembered
 * @param outputDir the blob store's directory (file store) or spool (S3)
 */
public record ResultsConfig(
    String applicationId, Duration studyRetention, Path outputDir, int streamThreads) {

  /** A sweep at least this often, whatever the retention (the retention is not a precise clock). */
  static final Duration MAX_SWEEP_INTERVAL = Duration.ofMinutes(1);

  public ResultsConfig {
    Objects.requireNonNull(applicationId, "applicationId");
    Objects.requireNonNull(outputDir, "outputDir");
    if (studyRetention.isNegative() || studyRetention.isZero()) {
      throw new ConfigException(
          ResultsSettings.STUDY_RETENTION.name(), "must be positive, got " + studyRetention);
    }
  }

  /** Resolves every setting (command line over environment over default). */
  public static ResultsConfig from(Settings settings) {
    String applicationId = settings.string(ResultsSettings.APPLICATION_ID);
    if (applicationId.isEmpty()) {
      throw new ConfigException(ResultsSettings.APPLICATION_ID.name(), "must not be empty");
    }
    return new ResultsConfig(
        applicationId,
        settings.duration(ResultsSettings.STUDY_RETENTION),
        outputDir(settings),
        settings.integer(ResultsSettings.STREAM_THREADS, 1, 64));
  }

  /**
   * Where results writes its outputs ({@link ResultsSettings#OUTPUT_DIR}, else {@code
   * <data.dir>/claims}): also where export reads them and forget erases them.
   */
  public static Path outputDir(Settings settings) {
    String output = settings.string(ResultsSettings.OUTPUT_DIR);
    Path dir =
        output.isEmpty()
            ? settings.path(CommonSettings.DATA_DIR).resolve("claims")
            : settings.path(ResultsSettings.OUTPUT_DIR);
    return dir.toAbsolutePath();
  }

  /** Every default, with the blob store under {@code dataDir}. */
  public static ResultsConfig defaults(Path dataDir) {
    return from(Settings.of(Map.of(CommonSettings.DATA_DIR.name(), dataDir.toString())));
  }

  /** How often the sweep looks for revisions past the retention: a tenth of it, at most 1 min. */
  Duration sweepInterval() {
    Duration tenth = studyRetention.dividedBy(10);
    Duration interval = tenth.compareTo(MAX_SWEEP_INTERVAL) < 0 ? tenth : MAX_SWEEP_INTERVAL;
    return interval.isZero() ? Duration.ofMillis(1) : interval;
  }

  /** A copy with another retention (tests). */
  public ResultsConfig withStudyRetention(Duration retention) {
    return new ResultsConfig(applicationId, retention, outputDir, streamThreads);
  }
}
