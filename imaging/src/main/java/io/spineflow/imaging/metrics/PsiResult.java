package io.spineflow.imaging.metrics;

import java.util.List;

/**
 * A Population Stability Index and the bins it was computed on.
 *
 * @param psi {@code Σ_i (q_i − p_i) · ln(q_i / p_i)} over the bins, p the (smoothed) reference
 *     proportions and q the (smoothed) current ones; ≥ 0, 0 for identical proportions
 * @param edges the inner bin edges (distinct reference quantiles), ascending; bin {@code i} holds
 *     the values in {@code (edges[i-1], edges[i]]}, the first and last bins are open-ended, so
 *     there are {@code edges.size() + 1} bins
 * @param referenceProportions p per bin, after smoothing (sums to 1)
 * @param currentProportions q per bin, after smoothing (sums to 1)
 */
public record PsiResult(
    double psi,
    List<Double> edges,
    List<Double> referenceProportions,
    List<Double> currentProportions) {

  public PsiResult {
    edges = List.copyOf(edges);
    referenceProportions = List.copyOf(referenceProportions);
    currentProportions = List.copyOf(currentProportions);
  }

  /** The customary reading of {@link #psi}. */
  public PsiLevel level() {
    return PsiLevel.of(psi);
  }
}
