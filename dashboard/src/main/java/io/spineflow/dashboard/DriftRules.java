package io.spineflow.dashboard;

import io.spineflow.imaging.metrics.DriftDetector;
import io.spineflow.imaging.metrics.DriftStatistics;

/**
 * The two drift rules and their thresholds.
 *
 * <p><b>Dice below baseline</b> (labelled traffic): for each foreground class, the mean Dice of the
 * last {@code diceWindow} labelled slices of a model version on which the class is defined; the
 * rule fires when that mean is below the version's validation Dice ({@code dice.<class>} in the
 * live announcement's {@code validationMetrics}) minus {@code diceMargin}. No verdict before the
 * window is full, nor for a class without a baseline.
 *
 * <p><b>Label-free shift</b> (all traffic): the reference of a model version is the label-free
 * signals ({@link QualitySignals}) of its first {@code referenceSize} slices, frozen; the window is
 * its latest {@code windowSize} slices after the reference. Every {@code evaluateEvery} slices,
 * once the window holds {@code minWindowSize}, each signal is tested with {@link DriftDetector}; a
 * signal drifted when <b>both</b> its PSI &gt; {@code psiThreshold} and its KS p-value &lt; {@code
 * ksAlpha}; the rule fires when at least {@code minDriftedSignals} signals drifted at once.
 *
 * <p>Why both tests and three signals: the slices of one study are strongly correlated, so a
 * reference of 200 slices is only about a dozen patients, and each test alone is too eager. On
 * phantom traffic through a stand-in segmenter (see the dashboard's {@code DriftDetectionTest}),
 * fresh unshifted patients make at most one signal drift (both tests) against such a reference, and
 * one or two fire PSI <i>or</i> KS; the shifted phantoms (another scanner's contrast, 2.6 times the
 * noise) make five or more drift.
 *
 * @param retrainOnAlert publish a {@code RetrainRequest} (origin DRIFT_ALERT) for a new alert
 */
public record DriftRules(
    double diceMargin,
    int diceWindow,
    int referenceSize,
    int windowSize,
    int minWindowSize,
    double psiThreshold,
    double ksAlpha,
    int minDriftedSignals,
    int evaluateEvery,
    boolean retrainOnAlert) {

  /**
   * Margin 0.05 over 50 slices; reference 200, window 300 (min 200), PSI 0.25 and α 0.001, 3
   * signals, evaluated every 10 slices, retrain requests on.
   */
  public static final DriftRules DEFAULTS =
      new DriftRules(0.05, 50, 200, 300, 200, 0.25, 0.001, 3, 10, true);

  public DriftRules {
    if (!(diceMargin >= 0 && diceMargin < 1)) {
      throw new IllegalArgumentException("diceMargin must be in [0, 1): " + diceMargin);
    }
    if (diceWindow < 1 || referenceSize < 1 || evaluateEvery < 1 || minDriftedSignals < 1) {
      throw new IllegalArgumentException("window sizes and counts must be >= 1");
    }
    detectorConfig(windowSize, minWindowSize, referenceSize, psiThreshold, ksAlpha);
  }

  /**
   * Whether the label-free rule is tested once a model version has seen {@code seen} slices: the
   * reference is complete, the window holds at least {@code minWindowSize}, and it is one of every
   * {@code evaluateEvery} slices after the reference.
   */
  public boolean labelFreeDueAt(long seen) {
    return seen >= (long) referenceSize + minWindowSize
        && (seen - referenceSize) % evaluateEvery == 0;
  }

  /** The first slice (0-based) of the window tested after {@code seen} slices. */
  public long windowStart(long seen) {
    return Math.max(referenceSize, seen - windowSize);
  }

  /** The {@link DriftDetector} settings of the label-free rule. */
  public DriftDetector.Config detectorConfig() {
    return detectorConfig(windowSize, minWindowSize, referenceSize, psiThreshold, ksAlpha);
  }

  private static DriftDetector.Config detectorConfig(
      int windowSize, int minWindowSize, int referenceSize, double psi, double alpha) {
    return new DriftDetector.Config(
        windowSize,
        minWindowSize,
        referenceSize,
        psi,
        alpha,
        DriftStatistics.DEFAULT_PSI_BINS,
        DriftStatistics.DEFAULT_PSI_EPSILON);
  }

  public DriftRules withRetrainOnAlert(boolean retrain) {
    return new DriftRules(
        diceMargin,
        diceWindow,
        referenceSize,
        windowSize,
        minWindowSize,
        psiThreshold,
        ksAlpha,
        minDriftedSignals,
        evaluateEvery,
        retrain);
  }

  /** The same rules with smaller sample sizes, e.g. for a short demo or a test. */
  public DriftRules withSizes(int dice, int reference, int window, int minWindow) {
    return new DriftRules(
        diceMargin,
        dice,
        reference,
        window,
        minWindow,
        psiThreshold,
        ksAlpha,
        minDriftedSignals,
        evaluateEvery,
        retrainOnAlert);
  }
}
