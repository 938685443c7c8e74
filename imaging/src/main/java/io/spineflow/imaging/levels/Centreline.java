package io.spineflow.imaging.levels;

import java.util.List;

/**
 * A smooth curve through the centroids of the bodies and discs: in the frame of their principal
 * axis (u along it, oriented superiorly; w across), w = c0 + c1 u + c2 u² by least squares (linear
 * below four points). A structure's position along the spine is the arc length of the curve point
 * nearest to its centroid, so a tilted or curved spine is ordered along itself, not by the superior
 * coordinate.
 */
final class Centreline {
  private static final double STEP_MM = 0.1;
  private static final double MARGIN_MM = 40;

  private final double meanSup;
  private final double meanPost;
  // Principal axis (along the spine, superior) and its normal, in the (sup, post) frame.
  private final double[] along;
  private final double[] across;
  private final double[] coefficients;
  private final double uFrom;
  private final double[] arc;

  Centreline(List<double[]> points) {
    if (points.size() < 2) {
      throw new IllegalArgumentException("a centreline needs two points: " + points.size());
    }
    double ms = 0;
    double mp = 0;
    for (double[] p : points) {
      ms += p[0];
      mp += p[1];
    }
    meanSup = ms / points.size();
    meanPost = mp / points.size();
    along = principalAxis(points);
    across = new double[] {-along[1], along[0]};
    double[] u = new double[points.size()];
    double[] w = new double[points.size()];
    double low = Double.MAX_VALUE;
    double high = -Double.MAX_VALUE;
    for (int k = 0; k < u.length; k++) {
      u[k] = u(points.get(k));
      w[k] = w(points.get(k));
      low = Math.min(low, u[k]);
      high = Math.max(high, u[k]);
    }
    coefficients = fit(u, w, points.size() >= 4 ? 3 : 2);
    uFrom = low - MARGIN_MM;
    int samples = (int) Math.ceil((high + MARGIN_MM - uFrom) / STEP_MM) + 1;
    arc = new double[samples];
    for (int k = 1; k < samples; k++) {
      double dw = value(uFrom + k * STEP_MM) - value(uFrom + (k - 1) * STEP_MM);
      arc[k] = arc[k - 1] + Math.hypot(STEP_MM, dw);
    }
  }

  /** Unit eigenvector of the larger eigenvalue of the points' covariance, oriented superiorly. */
  private double[] principalAxis(List<double[]> points) {
    double[] e = PrincipalAxes.major(points, meanSup, meanPost);
    return e[0] < 0 ? new double[] {-e[0], -e[1]} : e;
  }

  private double u(double[] p) {
    return (p[0] - meanSup) * along[0] + (p[1] - meanPost) * along[1];
  }

  private double w(double[] p) {
    return (p[0] - meanSup) * across[0] + (p[1] - meanPost) * across[1];
  }

  private double value(double u) {
    double v = 0;
    for (int k = coefficients.length - 1; k >= 0; k--) {
      v = v * u + coefficients[k];
    }
    return v;
  }

  private double slope(double u) {
    return coefficients[1] + (coefficients.length > 2 ? 2 * coefficients[2] * u : 0);
  }

  /** Index of the curve sample nearest to {@code p}. */
  private int foot(double[] p) {
    double pu = u(p);
    double pw = w(p);
    int best = 0;
    double bestDistance = Double.MAX_VALUE;
    for (int k = 0; k < arc.length; k++) {
      double cu = uFrom + k * STEP_MM;
      double d = (cu - pu) * (cu - pu) + (value(cu) - pw) * (value(cu) - pw);
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    return best;
  }

  /** Arc length (mm) of the curve point nearest to {@code p}, increasing superiorly. */
  double position(double[] p) {
    return arc[foot(p)];
  }

  /** Unit tangent (sup, post) of the curve at the point nearest to {@code p}, superiorly. */
  double[] tangent(double[] p) {
    double s = slope(uFrom + foot(p) * STEP_MM);
    double norm = Math.hypot(1, s);
    return new double[] {(along[0] + s * across[0]) / norm, (along[1] + s * across[1]) / norm};
  }

  /** Least squares polynomial of {@code terms} coefficients (lowest first) through (u, w). */
  private static double[] fit(double[] u, double[] w, int terms) {
    double[][] a = new double[terms][terms + 1];
    for (int k = 0; k < u.length; k++) {
      double[] powers = new double[2 * terms];
      powers[0] = 1;
      for (int e = 1; e < powers.length; e++) {
        powers[e] = powers[e - 1] * u[k];
      }
      for (int r = 0; r < terms; r++) {
        for (int c = 0; c < terms; c++) {
          a[r][c] += powers[r + c];
        }
        a[r][terms] += powers[r] * w[k];
      }
    }
    return solve(a, terms);
  }

  /**
   * Gaussian elimination with partial pivoting; a singular system gives zeros (a straight line).
   */
  private static double[] solve(double[][] a, int n) {
    for (int col = 0; col < n; col++) {
      int pivot = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
          pivot = r;
        }
      }
      double[] swap = a[col];
      a[col] = a[pivot];
      a[pivot] = swap;
      if (Math.abs(a[col][col]) < 1e-12) {
        return new double[n];
      }
      for (int r = 0; r < n; r++) {
        if (r != col) {
          double f = a[r][col] / a[col][col];
          for (int c = col; c <= n; c++) {
            a[r][c] -= f * a[col][c];
          }
        }
      }
    }
    double[] x = new double[n];
    for (int r = 0; r < n; r++) {
      x[r] = a[r][n] / a[r][r];
    }
    return x;
  }
}
