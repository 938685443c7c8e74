package io.spineflow.imaging.metrics;

/**
 * A two-sample Kolmogorov–Smirnov test.
 *
 * @param statistic D, the largest absolute difference of the two empirical distribution functions,
 *     in [0, 1]
 * @param pValue asymptotic probability of a D at least this large if both samples come from one
 *     continuous distribution (see {@link DriftStatistics#kolmogorovSmirnov})
 * @param referenceSize n, the reference sample's size
 * @param currentSize m, the current sample's size
 */
public record KsResult(double statistic, double pValue, int referenceSize, int currentSize) {}
