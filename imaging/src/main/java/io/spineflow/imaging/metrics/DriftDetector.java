package io.spineflow.imaging.metrics;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Watches named scalar signals (e.g. {@link LabelFreeSignals#asSignals()}) for distribution drift:
 * per signal a frozen reference sample and a rolling window of the latest values; a signal has
 * drifted when the window's PSI against the reference exceeds a threshold <b>or</b> a two-sample
 * Kolmogorov–Smirnov test rejects at level α. No verdict is given below the minimum sample sizes.
 *
 * <p><b>Reference.</b> Either set explicitly ({@link #setReference}, e.g. from the validation
 * slices of the model being served), or learnt: a signal without an explicit reference takes its
 * first {@code minReferenceSize} observations as reference, then freezes it; observations after
 * that go to the window. {@link #rebaseline} starts a new reference from the current window (after
 * a retrained model is accepted, say).
 *
 * <p>Deterministic: verdicts depend only on the sequence of calls, never on the clock. Thread-safe
 * (every method synchronises on the detector), so a consumer thread may observe while another asks
 * for verdicts.
 *
 * <p>Caveats: the tests assume independent observations, but the slices of one study are
 * correlated, so a window dominated by a few odd studies can look drifted; and re-testing after
 * every observation on overlapping windows inflates the false-alarm rate above α. The defaults are
 * chosen with both in mind (a window of hundreds of slices, α = 0.001, PSI 0.25).
 */
public final class DriftDetector {

  /**
   * Settings.
   *
   * @param windowSize values kept in each signal's rolling window (oldest dropped first)
   * @param minWindowSize values the window needs before any verdict (≤ windowSize)
   * @param minReferenceSize values a reference needs before any verdict; also the size of a learnt
   *     reference
   * @param psiThreshold PSI above which the signal drifted (0.25: "significant" by the usual
   *     reading, see {@link PsiLevel}). Mind PSI's sampling noise: two samples of one distribution
   *     give about {@code (bins − 1) · (1/n_reference + 1/n_window)} (0.09 for 200 and 200 values
   *     in 10 bins), so small minimum sizes make the threshold fire on noise
   * @param ksAlpha the KS test's level: drift when p &lt; α
   * @param psiBins PSI bins (reference quantiles)
   * @param psiEpsilon PSI smoothing, see {@link DriftStatistics#DEFAULT_PSI_EPSILON}
   */
  public record Config(
      int windowSize,
      int minWindowSize,
      int minReferenceSize,
      double psiThreshold,
      double ksAlpha,
      int psiBins,
      double psiEpsilon) {

    /**
     * Window 300 (about 20 studies of 15 slices), verdicts from 200 values in the window and 200 in
     * the reference, PSI &gt; 0.25, KS p &lt; 0.001, 10 bins, ε = 1e-4. α is far below the usual
     * 0.05 because the test is repeated on every observation.
     */
    public static final Config DEFAULTS =
        new Config(
            300,
            200,
            200,
            PsiLevel.SIGNIFICANT_FROM,
            0.001,
            DriftStatistics.DEFAULT_PSI_BINS,
            DriftStatistics.DEFAULT_PSI_EPSILON);

    public Config {
      if (windowSize < 1 || minWindowSize < 1 || minWindowSize > windowSize) {
        throw new IllegalArgumentException(
            "need 1 <= minWindowSize <= windowSize: " + minWindowSize + ", " + windowSize);
      }
      if (minReferenceSize < 1) {
        throw new IllegalArgumentException("minReferenceSize must be >= 1: " + minReferenceSize);
      }
      if (!(psiThreshold > 0)) {
        throw new IllegalArgumentException("psiThreshold must be > 0: " + psiThreshold);
      }
      if (!(ksAlpha > 0 && ksAlpha < 1)) {
        throw new IllegalArgumentException("ksAlpha must be in (0, 1): " + ksAlpha);
      }
      if (psiBins < 2) {
        throw new IllegalArgumentException("psiBins must be >= 2: " + psiBins);
      }
      if (!(psiEpsilon > 0 && psiEpsilon < 1)) {
        throw new IllegalArgumentException("psiEpsilon must be in (0, 1): " + psiEpsilon);
      }
    }
  }

  private final Config config;
  private final Map<String, Signal> signals = new TreeMap<>();

  /** A detector with {@link Config#DEFAULTS}. */
  public DriftDetector() {
    this(Config.DEFAULTS);
  }

  public DriftDetector(Config config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  public Config config() {
    return config;
  }

  /**
   * Sets {@code signal}'s reference to a copy of {@code values} (NaN values dropped) and freezes
   * it. The window is kept. A reference smaller than {@code minReferenceSize} gives no verdicts.
   */
  public synchronized void setReference(String signal, double[] values) {
    Objects.requireNonNull(values, "values");
    double[] finite = Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
    signal(signal).freeze(finite);
  }

  /**
   * Records one value of {@code signal}: into the reference while it is still being learnt,
   * otherwise into the window. NaN (an undefined signal, e.g. the entropy of an absent class) is
   * ignored.
   */
  public synchronized void observe(String signal, double value) {
    if (Double.isNaN(value)) {
      return;
    }
    signal(signal).observe(value);
  }

  /** {@link #observe} for every entry; null values are ignored like NaN. */
  public synchronized void observeAll(Map<String, ? extends Number> values) {
    values.forEach(
        (name, value) -> observe(name, value == null ? Double.NaN : value.doubleValue()));
  }

  /**
   * Starts a new reference for {@code signal} from its current window, and empties the window. With
   * at least {@code minReferenceSize} values in the window the new reference is complete at once;
   * otherwise it goes on learning from the next observations.
   */
  public synchronized void rebaseline(String signal) {
    signal(signal).relearnFromWindow();
  }

  /** The verdict on {@code signal}; insufficient data for a signal never seen. */
  public synchronized DriftVerdict verdict(String signal) {
    Signal s = signals.get(signal);
    return s == null ? DriftVerdict.insufficient(signal, 0, 0) : s.verdict(signal);
  }

  /** Verdicts on every signal seen, by name. */
  public synchronized Map<String, DriftVerdict> verdicts() {
    Map<String, DriftVerdict> verdicts = new TreeMap<>();
    signals.forEach((name, s) -> verdicts.put(name, s.verdict(name)));
    return verdicts;
  }

  /** Whether any signal drifted. */
  public synchronized boolean anyDrifted() {
    return verdicts().values().stream().anyMatch(DriftVerdict::drifted);
  }

  private Signal signal(String name) {
    Objects.requireNonNull(name, "signal");
    return signals.computeIfAbsent(name, n -> new Signal());
  }

  /** One signal's reference and ring-buffer window. */
  private final class Signal {
    private double[] learning = new double[16];
    private int learnt;
    private double[] sortedReference; // null until frozen
    private DriftStatistics.PsiReference psiReference;
    private final double[] window = new double[config.windowSize()];
    private int windowCount;
    private int next; // ring-buffer write position

    void observe(double value) {
      if (sortedReference == null) {
        if (learnt == learning.length) {
          learning = Arrays.copyOf(learning, learning.length * 2);
        }
        learning[learnt++] = value;
        if (learnt >= config.minReferenceSize()) {
          freeze(Arrays.copyOf(learning, learnt));
        }
        return;
      }
      window[next] = value;
      next = (next + 1) % window.length;
      windowCount = Math.min(windowCount + 1, window.length);
    }

    void freeze(double[] values) {
      learning = new double[0];
      learnt = 0;
      sortedReference = values.clone();
      Arrays.sort(sortedReference);
      psiReference =
          sortedReference.length == 0
              ? null
              : DriftStatistics.PsiReference.of(
                  sortedReference, config.psiBins(), config.psiEpsilon());
    }

    void relearnFromWindow() {
      double[] values = windowValues();
      clearWindow();
      sortedReference = null;
      psiReference = null;
      learning = Arrays.copyOf(values, Math.max(16, values.length));
      learnt = values.length;
      if (learnt >= config.minReferenceSize()) {
        freeze(values);
      }
    }

    double[] windowValues() {
      return Arrays.copyOf(window, windowCount); // order is irrelevant to both tests
    }

    void clearWindow() {
      windowCount = 0;
      next = 0;
    }

    DriftVerdict verdict(String name) {
      int referenceSize = sortedReference == null ? learnt : sortedReference.length;
      if (sortedReference == null
          || referenceSize < config.minReferenceSize()
          || windowCount < config.minWindowSize()) {
        return DriftVerdict.insufficient(name, referenceSize, windowCount);
      }
      double[] current = windowValues();
      Arrays.sort(current);
      KsResult ks = DriftStatistics.kolmogorovSmirnovSorted(sortedReference, current);
      double psi = psiReference.against(current).psi();
      boolean psiExceeded = psi > config.psiThreshold();
      boolean ksRejected = ks.pValue() < config.ksAlpha();
      return new DriftVerdict(
          name,
          psiExceeded || ksRejected ? DriftVerdict.Status.DRIFTED : DriftVerdict.Status.STABLE,
          referenceSize,
          windowCount,
          psi,
          ks.statistic(),
          ks.pValue(),
          psiExceeded,
          ksRejected);
    }
  }
}
