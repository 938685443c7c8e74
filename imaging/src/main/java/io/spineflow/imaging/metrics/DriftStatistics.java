package io.spineflow.imaging.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Two-sample tests for distribution drift on {@code double[]} samples: Kolmogorov–Smirnov and the
 * Population Stability Index. Pure functions; the inputs are not modified. NaN values are rejected,
 * since they have no place in an ordering.
 */
public final class DriftStatistics {
  /** PSI bins by default: reference deciles. */
  public static final int DEFAULT_PSI_BINS = 10;

  /**
   * Default PSI smoothing: a bin's proportion becomes {@code (count/n + ε) / (1 + bins · ε)}, so an
   * empty bin does not make the index infinite while a full one barely moves.
   */
  public static final double DEFAULT_PSI_EPSILON = 1e-4;

  private DriftStatistics() {}

  /**
   * The two-sample Kolmogorov–Smirnov test. D is exact, ties included (both empirical distribution
   * functions step over a tied value together). The p-value is the asymptotic Kolmogorov
   * distribution with Stephens' small-sample correction, {@code Q_KS((√nₑ + 0.12 + 0.11/√nₑ) · D)}
   * with {@code nₑ = n·m/(n + m)} (Numerical Recipes, 3rd ed., §14.3.3); conservative with many
   * ties, reasonable from about {@code nₑ ≥ 4}.
   *
   * @throws IllegalArgumentException when a sample is empty or holds NaN
   */
  public static KsResult kolmogorovSmirnov(double[] reference, double[] current) {
    return kolmogorovSmirnovSorted(
        sortedCopy(reference, "reference"), sortedCopy(current, "current"));
  }

  /** {@link #kolmogorovSmirnov} on samples already sorted ascending, without NaN. */
  static KsResult kolmogorovSmirnovSorted(double[] a, double[] b) {
    int n = a.length;
    int m = b.length;
    int i = 0;
    int j = 0;
    double d = 0;
    while (i < n && j < m) {
      double x = Math.min(a[i], b[j]);
      while (i < n && a[i] <= x) {
        i++;
      }
      while (j < m && b[j] <= x) {
        j++;
      }
      d = Math.max(d, Math.abs((double) i / n - (double) j / m));
    }
    return new KsResult(d, ksPValue(d, n, m), n, m);
  }

  /**
   * The KS p-value of statistic {@code d} for samples of {@code n} and {@code m} independent
   * values, as {@link #kolmogorovSmirnov} computes it. Given fewer than the values counted (e.g.
   * the number of studies when the values are slices of those studies, which are far from
   * independent), it is the p-value of a test that does not pretend to more evidence than it has.
   */
  public static double ksPValue(double d, double n, double m) {
    if (!(n > 0 && m > 0)) {
      return 1;
    }
    double effective = n * m / (n + m);
    double root = Math.sqrt(effective);
    return kolmogorovSurvival((root + 0.12 + 0.11 / root) * d);
  }

  /**
   * The survival function of the Kolmogorov distribution, {@code Q_KS(λ) = P(K > λ) = 2 Σ_{j≥1}
   * (−1)^{j−1} e^{−2j²λ²}}; for {@code λ < 1.18} via the faster-converging dual series {@code 1 −
   * (√(2π)/λ) Σ_{j≥1} e^{−(2j−1)²π²/(8λ²)}}. Q(0) = 1, decreasing to 0.
   */
  public static double kolmogorovSurvival(double lambda) {
    if (!(lambda > 0)) {
      return 1;
    }
    if (lambda < 1.18) {
      double y = Math.exp(-Math.PI * Math.PI / (8 * lambda * lambda));
      double y8 = Math.pow(y, 8);
      double cdf =
          Math.sqrt(2 * Math.PI) / lambda * y * (1 + y8 * (1 + y8 * y8 * (1 + y8 * y8 * y8)));
      return clamp(1 - cdf);
    }
    double x = Math.exp(-2 * lambda * lambda);
    double x3 = x * x * x;
    return clamp(2 * (x - Math.pow(x, 4) + Math.pow(x3, 3) - Math.pow(x, 16)));
  }

  /** {@link #populationStabilityIndex(double[], double[], int, double)} with deciles, ε = 1e-4. */
  public static PsiResult populationStabilityIndex(double[] reference, double[] current) {
    return populationStabilityIndex(reference, current, DEFAULT_PSI_BINS, DEFAULT_PSI_EPSILON);
  }

  /**
   * The Population Stability Index of {@code current} against {@code reference}, on bins fixed by
   * the reference: the inner edges are its {@code k/bins} quantiles (k = 1..bins−1, linear
   * interpolation), duplicates dropped, so a reference with many ties gets fewer, still meaningful
   * bins. Proportions are smoothed with {@code epsilon} (see {@link #DEFAULT_PSI_EPSILON}). Read it
   * with {@link PsiLevel}: &lt; 0.1 stable, 0.1-0.25 moderate, ≥ 0.25 significant.
   *
   * @throws IllegalArgumentException when a sample is empty or holds NaN, {@code bins < 2} or
   *     {@code epsilon} is not in (0, 1)
   */
  public static PsiResult populationStabilityIndex(
      double[] reference, double[] current, int bins, double epsilon) {
    PsiReference prepared = PsiReference.of(sortedCopy(reference, "reference"), bins, epsilon);
    return prepared.against(requireSample(current, "current"));
  }

  /**
   * Reference bins and proportions computed once, for testing many current samples against one
   * reference.
   */
  record PsiReference(double[] edges, double[] proportions, double epsilon) {

    static PsiReference of(double[] sortedReference, int bins, double epsilon) {
      if (bins < 2) {
        throw new IllegalArgumentException("bins must be >= 2: " + bins);
      }
      if (!(epsilon > 0 && epsilon < 1)) {
        throw new IllegalArgumentException("epsilon must be in (0, 1): " + epsilon);
      }
      double[] edges = new double[bins - 1];
      int distinct = 0;
      for (int k = 1; k < bins; k++) {
        double q = quantile(sortedReference, (double) k / bins);
        if (distinct == 0 || q > edges[distinct - 1]) {
          edges[distinct++] = q;
        }
      }
      edges = Arrays.copyOf(edges, distinct);
      return new PsiReference(edges, proportions(sortedReference, edges, epsilon), epsilon);
    }

    PsiResult against(double[] current) {
      double[] q = proportions(current, edges, epsilon);
      double psi = 0;
      for (int i = 0; i < q.length; i++) {
        psi += (q[i] - proportions[i]) * Math.log(q[i] / proportions[i]);
      }
      return new PsiResult(psi, boxed(edges), boxed(proportions), boxed(q));
    }

    private static double[] proportions(double[] values, double[] edges, double epsilon) {
      int bins = edges.length + 1;
      long[] counts = new long[bins];
      for (double v : values) {
        counts[bin(edges, v)]++;
      }
      double[] proportions = new double[bins];
      double norm = 1 + bins * epsilon;
      for (int i = 0; i < bins; i++) {
        proportions[i] = ((double) counts[i] / values.length + epsilon) / norm;
      }
      return proportions;
    }

    // The number of edges strictly below v: a value equal to an edge falls in the bin it closes.
    private static int bin(double[] edges, double v) {
      int found = Arrays.binarySearch(edges, v);
      return found >= 0 ? found : -found - 1;
    }
  }

  /**
   * The {@code p}-quantile (0 ≤ p ≤ 1) of sorted values with linear interpolation between order
   * statistics (numpy's default, R type 7).
   */
  static double quantile(double[] sorted, double p) {
    double position = p * (sorted.length - 1);
    int lower = (int) Math.floor(position);
    int upper = Math.min(lower + 1, sorted.length - 1);
    return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
  }

  static double[] sortedCopy(double[] sample, String name) {
    double[] sorted = requireSample(sample, name).clone();
    Arrays.sort(sorted);
    return sorted;
  }

  private static double[] requireSample(double[] sample, String name) {
    Objects.requireNonNull(sample, name);
    if (sample.length == 0) {
      throw new IllegalArgumentException(name + " sample is empty");
    }
    for (double v : sample) {
      if (Double.isNaN(v)) {
        throw new IllegalArgumentException(name + " sample holds NaN");
      }
    }
    return sample;
  }

  private static List<Double> boxed(double[] values) {
    return Arrays.stream(values).boxed().toList();
  }

  private static double clamp(double p) {
    return Math.max(0, Math.min(1, p));
  }
}
