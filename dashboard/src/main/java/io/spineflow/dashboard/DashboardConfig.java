package io.spineflow.dashboard;

import io.spineflow.platform.ConfigException;
import io.spineflow.platform.Setting;
import io.spineflow.platform.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The dashboard's configuration, resolved once from {@link Settings} ({@link DashboardSettings}
 * lists the rows).
 *
 * @param operatorToken the "Retrain now" bearer token; "" disables the action; never printed
 * @param defaultModelName the model a retrain request names when none has been announced
 * @param window size of the tumbling windows
 * @param grace lateness accepted into a window
 * @param retention how long windows are kept
 * @param chartSpan the time span the page shows
 * @param refresh how often the page polls
 * @param gallerySize slices the gallery shows
 * @param galleryHorizon age after which a gallery slice is the first to be replaced
 * @param galleryPendingMax slices per partition waiting for their mask and quality
 * @param recentMax recent dead letters per partition (the model timeline keeps twice as many)
 * @param studiesMax study results per partition (the latest per study)
 * @param drift the drift rules
 */
public record DashboardConfig(
    String operatorToken,
    String defaultModelName,
    Duration window,
    Duration grace,
    Duration retention,
    Duration chartSpan,
    Duration refresh,
    int gallerySize,
    Duration galleryHorizon,
    int galleryPendingMax,
    int recentMax,
    int studiesMax,
    DriftRules drift) {

  /** Shorter operator tokens are refused: the token guards an action, it must not be guessable. */
  public static final int MIN_TOKEN_LENGTH = io.spineflow.platform.http.BearerToken.MIN_LENGTH;

  public DashboardConfig {
    Objects.requireNonNull(operatorToken, "operatorToken");
    Objects.requireNonNull(defaultModelName, "defaultModelName");
    Objects.requireNonNull(drift, "drift");
    for (Duration d : List.of(window, grace, retention, chartSpan, refresh, galleryHorizon)) {
      Objects.requireNonNull(d, "durations");
    }
    if (!operatorToken.isEmpty() && operatorToken.length() < MIN_TOKEN_LENGTH) {
      throw new ConfigException(
          DashboardSettings.OPERATOR_TOKEN.name(),
          "must have at least " + MIN_TOKEN_LENGTH + " characters (or be empty to disable)");
    }
    if (window.isZero() || window.isNegative() || grace.isNegative()) {
      throw new ConfigException(DashboardSettings.WINDOW.name(), "must be positive");
    }
    if (retention.compareTo(window.plus(grace)) < 0) {
      throw new ConfigException(
          DashboardSettings.RETENTION.name(),
          "must be at least window + grace (" + window.plus(grace) + "), got " + retention);
    }
    if (gallerySize < 1 || galleryPendingMax < 1 || recentMax < 1 || studiesMax < 1) {
      throw new ConfigException(DashboardSettings.GALLERY_SIZE.name(), "sizes must be >= 1");
    }
  }

  /** The defaults of every setting, with {@code operatorToken}; for tests and embedding. */
  public static DashboardConfig defaults(String operatorToken) {
    return from(
        Settings.of(java.util.Map.of(DashboardSettings.OPERATOR_TOKEN.name(), operatorToken)));
  }

  /**
   * Resolves every dashboard setting.
   *
   * @throws ConfigException naming the setting when one is wrong
   */
  public static DashboardConfig from(Settings settings) {
    DriftRules drift;
    try {
      drift =
          new DriftRules(
              settings.decimal(DashboardSettings.DICE_MARGIN, 0, 0.99),
              settings.integer(DashboardSettings.DICE_WINDOW, 1, 100_000),
              settings.integer(DashboardSettings.REFERENCE_SIZE, 1, 100_000),
              settings.integer(DashboardSettings.WINDOW_SIZE, 1, 100_000),
              settings.integer(DashboardSettings.MIN_WINDOW, 1, 100_000),
              settings.decimal(DashboardSettings.PSI_THRESHOLD, 1e-6, 100),
              settings.decimal(DashboardSettings.KS_ALPHA, 1e-12, 0.5),
              settings.integer(DashboardSettings.MIN_DRIFTED_SIGNALS, 1, QualitySignals.COUNT),
              settings.integer(DashboardSettings.EVALUATE_EVERY, 1, 100_000),
              settings.bool(DashboardSettings.RETRAIN_ON_ALERT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          DashboardSettings.MIN_WINDOW.name(), e.getMessage() + " (check the drift settings)");
    }
    return new DashboardConfig(
        settings.string(DashboardSettings.OPERATOR_TOKEN),
        settings.string(DashboardSettings.MODEL_NAME),
        positive(settings, DashboardSettings.WINDOW),
        settings.duration(DashboardSettings.GRACE),
        positive(settings, DashboardSettings.RETENTION),
        positive(settings, DashboardSettings.CHART_SPAN),
        positive(settings, DashboardSettings.REFRESH),
        settings.integer(DashboardSettings.GALLERY_SIZE, 1, 200),
        positive(settings, DashboardSettings.GALLERY_HORIZON),
        settings.integer(DashboardSettings.GALLERY_PENDING_MAX, 1, 100_000),
        settings.integer(DashboardSettings.RECENT_MAX, 1, 10_000),
        settings.integer(DashboardSettings.STUDIES_MAX, 1, 1_000_000),
        drift);
  }

  /** The settings this record is built from, for the README's configuration table. */
  public static List<Setting> all() {
    return DashboardSettings.all();
  }

  /** Whether the "Retrain now" action is enabled (a token is configured). */
  public boolean retrainActionEnabled() {
    return !operatorToken.isEmpty();
  }

  /** A copy with other drift rules. */
  public DashboardConfig withDrift(DriftRules rules) {
    return new DashboardConfig(
        operatorToken,
        defaultModelName,
        window,
        grace,
        retention,
        chartSpan,
        refresh,
        gallerySize,
        galleryHorizon,
        galleryPendingMax,
        recentMax,
        studiesMax,
        rules);
  }

  private static Duration positive(Settings settings, Setting setting) {
    Duration value = settings.duration(setting);
    if (value.isZero() || value.isNegative()) {
      throw new ConfigException(setting.name(), "must be positive, got " + value);
    }
    return value;
  }

  @Override
  public String toString() {
    return "DashboardConfig[operatorToken="
        + (operatorToken.isEmpty() ? "(none: retrain action disabled)" : "(hidden)")
        + ", defaultModelName="
        + defaultModelName
        + ", window="
        + window
        + ", grace="
        + grace
        + ", retention="
        + retention
        + ", chartSpan="
        + chartSpan
        + ", refresh="
        + refresh
        + ", gallerySize="
        + gallerySize
        + ", galleryHorizon="
        + galleryHorizon
        + ", galleryPendingMax="
        + galleryPendingMax
        + ", recentMax="
        + recentMax
        + ", studiesMax="
        + studiesMax
        + ", drift="
        + drift
        + "]";
  }
}
