package io.spineflow.imaging.metrics;

/**
 * What {@link DriftDetector} says about one signal.
 *
 * @param signal the signal's name
 * @param status whether there is enough data, and if so whether the window drifted
 * @param referenceSize values in the reference sample
 * @param windowSize values in the rolling window
 * @param psi the window's PSI against the reference; NaN when {@link Status#INSUFFICIENT_DATA}
 * @param ksStatistic the Kolmogorov–Smirnov D; NaN when {@link Status#INSUFFICIENT_DATA}
 * @param ksPValue the Kolmogorov–Smirnov p-value; NaN when {@link Status#INSUFFICIENT_DATA}
 * @param psiExceeded PSI above the detector's threshold
 * @param ksRejected KS p-value below the detector's α
 */
public record DriftVerdict(
    String signal,
    Status status,
    int referenceSize,
    int windowSize,
    double psi,
    double ksStatistic,
    double ksPValue,
    boolean psiExceeded,
    boolean ksRejected) {

  /** Whether there was enough data and what the tests said. */
  public enum Status {
    /** The reference or the window is below its minimum size: no verdict yet. */
    INSUFFICIENT_DATA,
    /** Neither test fired. */
    STABLE,
    /** PSI above the threshold or KS p-value below α. */
    DRIFTED
  }

  /** Whether the signal drifted. False while data is insufficient. */
  public boolean drifted() {
    return status == Status.DRIFTED;
  }

  static DriftVerdict insufficient(String signal, int referenceSize, int windowSize) {
    return new DriftVerdict(
        signal,
        Status.INSUFFICIENT_DATA,
        referenceSize,
        windowSize,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        false,
        false);
  }
}
