package io.spineflow.imaging.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DriftStatisticsTest {

  @Test
  void ksOfIdenticalSamplesIsZeroWithPValueOne() {
    double[] a = normal(300, 0, 1, 101);

    KsResult ks = DriftStatistics.kolmogorovSmirnov(a, a.clone());

    assertThat(ks.statistic()).isZero();
    assertThat(ks.pValue()).isEqualTo(1.0);
    assertThat(ks.referenceSize()).isEqualTo(300);
  }

  @Test
  void ksStatisticOnHandComputedSamples() {
    // ECDFs differ by 1/2 at 2, 3 and 4
    assertThat(
            DriftStatistics.kolmogorovSmirnov(new double[] {4, 3, 2, 1}, new double[] {3, 4, 5, 6})
                .statistic())
        .isEqualTo(0.5);
    // disjoint samples
    assertThat(
            DriftStatistics.kolmogorovSmirnov(new double[] {1, 2, 3}, new double[] {4, 5, 6})
                .statistic())
        .isEqualTo(1.0);
    // ties step together: at 1 the ECDFs are 3/4 and 1/4, at 2 both are 1
    assertThat(
            DriftStatistics.kolmogorovSmirnov(new double[] {1, 1, 1, 2}, new double[] {1, 2, 2, 2})
                .statistic())
        .isEqualTo(0.5);
  }

  @Test
  void kolmogorovSurvivalMatchesKnownValuesAndTheDirectSeries() {
    // Q(1) = 2 (e^-2 − e^-8 + e^-18 − ...), Q(1.36) is the classic 5% point, Q(2) = 2 (e^-8 − ...)
    assertThat(DriftStatistics.kolmogorovSurvival(1.0)).isCloseTo(0.2699996717, within(1e-9));
    assertThat(DriftStatistics.kolmogorovSurvival(1.36)).isCloseTo(0.0494858, within(1e-6));
    assertThat(DriftStatistics.kolmogorovSurvival(2.0)).isCloseTo(6.70925e-4, within(1e-9));
    assertThat(DriftStatistics.kolmogorovSurvival(0)).isEqualTo(1.0);
    for (double lambda = 0.3; lambda < 3; lambda += 0.01) {
      double direct = 0;
      for (int j = 1; j <= 200; j++) {
        direct += 2 * (j % 2 == 1 ? 1 : -1) * Math.exp(-2.0 * j * j * lambda * lambda);
      }
      assertThat(DriftStatistics.kolmogorovSurvival(lambda))
          .as("λ = %.2f", lambda)
          .isCloseTo(direct, within(1e-9));
    }
  }

  @Test
  void sameDistributionIsNotRejectedAndShiftedIs() {
    double[] reference = normal(500, 0, 1, 102);
    double[] same = normal(500, 0, 1, 103);
    double[] shifted = normal(500, 1, 1, 104);

    KsResult quiet = DriftStatistics.kolmogorovSmirnov(reference, same);
    KsResult loud = DriftStatistics.kolmogorovSmirnov(reference, shifted);

    assertThat(quiet.pValue()).isGreaterThan(0.05);
    assertThat(loud.statistic()).isGreaterThan(0.3); // Φ(0.5) − Φ(−0.5) = 0.38 in theory
    assertThat(loud.pValue()).isLessThan(1e-10);
  }

  @Test
  void psiIsSmallForTheSameDistributionAndSignificantForAShift() {
    double[] reference = normal(1000, 0, 1, 105);

    PsiResult same = DriftStatistics.populationStabilityIndex(reference, normal(1000, 0, 1, 106));
    PsiResult shifted =
        DriftStatistics.populationStabilityIndex(reference, normal(1000, 1, 1, 107));
    PsiResult wider = DriftStatistics.populationStabilityIndex(reference, normal(1000, 0, 2, 108));

    assertThat(same.psi()).isLessThan(PsiLevel.MODERATE_FROM);
    assertThat(same.level()).isEqualTo(PsiLevel.STABLE);
    assertThat(same.edges()).hasSize(9);
    assertThat(same.referenceProportions())
        .allSatisfy(p -> assertThat(p).isCloseTo(0.1, within(0.002)));
    assertThat(shifted.psi()).isGreaterThan(0.5); // ≈ δ² = 1 for a normal mean shift
    assertThat(shifted.level()).isEqualTo(PsiLevel.SIGNIFICANT);
    assertThat(wider.level()).isEqualTo(PsiLevel.SIGNIFICANT);
  }

  @Test
  void psiOfASampleAgainstItselfIsZero() {
    double[] a = normal(200, 3, 2, 109);

    assertThat(DriftStatistics.populationStabilityIndex(a, a).psi()).isZero();
  }

  /**
   * Reference 1..10 in 2 bins: edge 5.5, proportions 1/2 each. Current 1..8: 5 and 3 values, so q =
   * (5/8 + ε, 3/8 + ε) / (1 + 2ε).
   */
  @Test
  void psiOnAHandComputedExample() {
    double[] reference = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    double[] current = {1, 2, 3, 4, 5, 6, 7, 8};
    double eps = 1e-4;

    PsiResult r = DriftStatistics.populationStabilityIndex(reference, current, 2, eps);

    double p = 0.5;
    double q0 = (5 / 8.0 + eps) / (1 + 2 * eps);
    double q1 = (3 / 8.0 + eps) / (1 + 2 * eps);
    double expected = (q0 - p) * Math.log(q0 / p) + (q1 - p) * Math.log(q1 / p);
    assertThat(r.edges()).containsExactly(5.5);
    assertThat(r.psi()).isCloseTo(expected, within(1e-15));
    assertThat(r.psi()).isCloseTo(0.0639, within(1e-4));
  }

  @Test
  void smoothingKeepsEmptyBinsFiniteAndTiesCollapseBins() {
    double[] constant = new double[100];
    java.util.Arrays.fill(constant, 1.0);

    PsiResult movedAway =
        DriftStatistics.populationStabilityIndex(constant, new double[] {5, 6, 7});
    PsiResult unchanged = DriftStatistics.populationStabilityIndex(constant, new double[] {1, 1});

    assertThat(movedAway.edges()).containsExactly(1.0); // nine equal deciles, one edge
    assertThat(movedAway.psi()).isFinite().isGreaterThan(5);
    assertThat(unchanged.psi()).isZero();
    assertThat(PsiLevel.of(0.0999)).isEqualTo(PsiLevel.STABLE);
    assertThat(PsiLevel.of(0.1)).isEqualTo(PsiLevel.MODERATE);
    assertThat(PsiLevel.of(0.25)).isEqualTo(PsiLevel.SIGNIFICANT);
  }

  @Test
  void rejectsEmptyAndNaNSamples() {
    assertThatThrownBy(() -> DriftStatistics.kolmogorovSmirnov(new double[0], new double[] {1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(
            () ->
                DriftStatistics.populationStabilityIndex(
                    new double[] {1}, new double[] {Double.NaN}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NaN");
    assertThatThrownBy(
            () ->
                DriftStatistics.populationStabilityIndex(
                    new double[] {1}, new double[] {1}, 1, 1e-4))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void inputsAreNotModified() {
    double[] a = {3, 1, 2};
    double[] b = {9, 7, 8};

    DriftStatistics.kolmogorovSmirnov(a, b);
    DriftStatistics.populationStabilityIndex(a, b);

    assertThat(a).containsExactly(3, 1, 2);
    assertThat(b).containsExactly(9, 7, 8);
  }

  /** A seeded normal sample. */
  static double[] normal(int n, double mean, double sd, long seed) {
    Random random = new Random(seed);
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = mean + sd * random.nextGaussian();
    }
    return values;
  }
}
