package io.spineflow.imaging.metrics;

/**
 * The customary reading of a Population Stability Index (credit-scoring practice, e.g. Siddiqi,
 * "Credit Risk Scorecards", 2006): below 0.1 no meaningful shift, 0.1 to 0.25 a moderate shift
 * worth watching, 0.25 and above a significant shift.
 */
public enum PsiLevel {
  STABLE,
  MODERATE,
  SIGNIFICANT;

  /** Upper bound (exclusive) of {@link #STABLE}. */
  public static final double MODERATE_FROM = 0.1;

  /** Lower bound (inclusive) of {@link #SIGNIFICANT}. */
  public static final double SIGNIFICANT_FROM = 0.25;

  /** The level of {@code psi}. */
  public static PsiLevel of(double psi) {
    return psi >= SIGNIFICANT_FROM ? SIGNIFICANT : psi >= MODERATE_FROM ? MODERATE : STABLE;
  }
}
