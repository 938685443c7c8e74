package io.spineflow.ingest;

import io.spineflow.imaging.metaimage.MetaImageLimits;
import io.spineflow.platform.ConfigException;
import io.spineflow.platform.Setting;
import io.spineflow.platform.Settings;
import io.spineflow.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The ingest service's configuration, resolved once from {@link Settings} ({@link IngestSettings}
 * lists the rows) and injected through constructors.
 *
 * @param token the HTTP upload bearer token; never printed ({@link #toString()} hides it)
 * @param httpMaxRequestBytes largest HTTP request body
 * @param watchDir the watched folder, or null when the folder door is disabled
 * @param watchInterval time between two scans of the watched folder
 * @param pairingTimeout how long a part waits for the other part of its study
 * @param studyInlineMaxBytes voxel bytes carried inline in a {@code studies} event
 * @param uploadInlineMaxBytes file bytes the doors carry inline in a {@code studies.upload} record
 * @param geometryTolerance tolerance of the mask-on-image grid check
 * @param imageLimits what the MetaImage reader accepts
 * @param claimsDir the claim-check store's directory
 * @param dicom how DICOM instances become series
 */
public record IngestConfig(
    String token,
    long httpMaxRequestBytes,
    Path watchDir,
    Duration watchInterval,
    Duration pairingTimeout,
    int studyInlineMaxBytes,
    int uploadInlineMaxBytes,
    double geometryTolerance,
    MetaImageLimits imageLimits,
    Path claimsDir,
    DicomSeriesConfig dicom) {

  /**
   * How DICOM instances become series.
   *
   * @param quiet a series is published once no instance of it arrived for this long
   * @param retention a series' instances are kept this long after its last instance
   * @param toleranceMm position and spacing tolerance of series assembly
   */
  public record DicomSeriesConfig(Duration quiet, Duration retention, double toleranceMm) {
    public DicomSeriesConfig {
      Objects.requireNonNull(quiet, "quiet");
      Objects.requireNonNull(retention, "retention");
    }

    /**
     * How often waiting series are checked against the quiet period: a tenth of it, between 100 ms
     * and 5 s.
     */
    public Duration checkInterval() {
      long tenth = quiet.toMillis() / 10;
      return Duration.ofMillis(Math.max(100, Math.min(5_000, tenth)));
    }
  }

  /** Shorter tokens are refused: an upload token must not be guessable. */
  public static final int MIN_TOKEN_LENGTH = io.spineflow.platform.http.BearerToken.MIN_LENGTH;

  /**
   * Largest file carried inline in a {@code studies.upload} record: the topic's limit less 1 MiB
   * for the record's headers and batch framing.
   */
  public static final int UPLOAD_INLINE_LIMIT = Topics.UPLOAD_MAX_BYTES - (1 << 20);

  public IngestConfig {
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(watchInterval, "watchInterval");
    Objects.requireNonNull(pairingTimeout, "pairingTimeout");
    Objects.requireNonNull(imageLimits, "imageLimits");
    Objects.requireNonNull(claimsDir, "claimsDir");
    Objects.requireNonNull(dicom, "dicom");
  }

  /**
   * Resolves every ingest setting.
   *
   * @param dataDir the resolved {@code data.dir}, which {@value IngestSettings#DATA_DIR_TOKEN}
   *     stands for
   * @throws ConfigException naming the setting when one is missing or out of range
   */
  public static IngestConfig from(Settings settings, Path dataDir) {
    String token = settings.string(IngestSettings.TOKEN);
    if (token.isEmpty()) {
      throw new ConfigException(
          IngestSettings.TOKEN.name(),
          "must be set (env "
              + IngestSettings.TOKEN.envVar()
              + "): HTTP uploads need a bearer token, e.g. from `openssl rand -hex 24`");
    }
    if (token.length() < MIN_TOKEN_LENGTH) {
      throw new ConfigException(
          IngestSettings.TOKEN.name(), "must have at least " + MIN_TOKEN_LENGTH + " characters");
    }
    String watch = settings.string(IngestSettings.WATCH_DIR);
    Duration interval = positive(settings, IngestSettings.WATCH_INTERVAL);
    Duration pairing = positive(settings, IngestSettings.PAIRING_TIMEOUT);
    long maxDecoded =
        settings.longValue(
            IngestSettings.MAX_DECODED_BYTES, 1 << 10, MetaImageLimits.MAX_ARRAY_BYTES);
    MetaImageLimits defaults = MetaImageLimits.DEFAULT;
    return new IngestConfig(
        token,
        settings.longValue(IngestSettings.HTTP_MAX_REQUEST_BYTES, 1 << 10, Integer.MAX_VALUE - 8),
        watch.isEmpty() ? null : resolve(watch, dataDir, IngestSettings.WATCH_DIR),
        interval,
        pairing,
        settings.integer(IngestSettings.STUDY_INLINE_MAX_BYTES, 0, Topics.STUDY_INLINE_MAX_BYTES),
        settings.integer(IngestSettings.UPLOAD_INLINE_MAX_BYTES, 0, UPLOAD_INLINE_LIMIT),
        settings.decimal(IngestSettings.GEOMETRY_TOLERANCE, 0, 1),
        new MetaImageLimits(defaults.maxHeaderBytes(), defaults.maxVoxels(), maxDecoded),
        resolve(settings.string(IngestSettings.CLAIMS_DIR), dataDir, IngestSettings.CLAIMS_DIR),
        new DicomSeriesConfig(
            positive(settings, IngestSettings.DICOM_SERIES_QUIET),
            positive(settings, IngestSettings.DICOM_SERIES_RETENTION),
            settings.decimal(IngestSettings.DICOM_GEOMETRY_TOLERANCE, 0, 10)));
  }

  /** The settings this record is built from, for the README's configuration table. */
  public static List<Setting> all() {
    return IngestSettings.all();
  }

  /** A copy with another watched folder (null disables it); for tests and embedding. */
  public IngestConfig withWatchDir(Path dir) {
    return new IngestConfig(
        token,
        httpMaxRequestBytes,
        dir,
        watchInterval,
        pairingTimeout,
        studyInlineMaxBytes,
        uploadInlineMaxBytes,
        geometryTolerance,
        imageLimits,
        claimsDir,
        dicom);
  }

  /**
   * How often waiting parts are checked against {@link #pairingTimeout()}: a tenth of it, between
   * 100 ms and 10 s, so a part is dead-lettered at most 10% late.
   */
  public Duration pairingCheckInterval() {
    long tenth = pairingTimeout.toMillis() / 10;
    return Duration.ofMillis(Math.max(100, Math.min(10_000, tenth)));
  }

  private static Duration positive(Settings settings, Setting setting) {
    Duration value = settings.duration(setting);
    if (value.isZero() || value.isNegative()) {
      throw new ConfigException(setting.name(), "must be positive, got " + value);
    }
    return value;
  }

  private static Path resolve(String text, Path dataDir, Setting setting) {
    try {
      if (text.startsWith(IngestSettings.DATA_DIR_TOKEN)) {
        String rest =
            text.substring(IngestSettings.DATA_DIR_TOKEN.length()).replaceFirst("^/+", "");
        return (rest.isEmpty() ? dataDir : dataDir.resolve(rest)).toAbsolutePath().normalize();
      }
      return Path.of(text).toAbsolutePath().normalize();
    } catch (RuntimeException e) {
      throw new ConfigException(setting.name(), "must be a path, got '" + text + "'");
    }
  }

  @Override
  public String toString() {
    return "IngestConfig[token=(hidden), httpMaxRequestBytes="
        + httpMaxRequestBytes
        + ", watchDir="
        + watchDir
        + ", watchInterval="
        + watchInterval
        + ", pairingTimeout="
        + pairingTimeout
        + ", studyInlineMaxBytes="
        + studyInlineMaxBytes
        + ", uploadInlineMaxBytes="
        + uploadInlineMaxBytes
        + ", geometryTolerance="
        + geometryTolerance
        + ", imageLimits="
        + imageLimits
        + ", claimsDir="
        + claimsDir
        + ", dicom="
        + dicom
        + "]";
  }
}
