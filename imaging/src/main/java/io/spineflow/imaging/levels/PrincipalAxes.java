package io.spineflow.imaging.levels;

import java.util.List;

/** Principal axes of 2D point sets, in closed form. */
final class PrincipalAxes {
  private PrincipalAxes() {}

  /** Unit eigenvector of the larger eigenvalue of the covariance about (ms, mp). */
  static double[] major(List<double[]> points, double ms, double mp) {
    double[] c = covariance(points, ms, mp);
    return majorOf(c[0], c[1], c[2]);
  }

  /** {ss, sp, pp} covariance entries. */
  static double[] covariance(List<double[]> points, double ms, double mp) {
    double ss = 0;
    double sp = 0;
    double pp = 0;
    for (double[] p : points) {
      double ds = p[0] - ms;
      double dp = p[1] - mp;
      ss += ds * ds;
      sp += ds * dp;
      pp += dp * dp;
    }
    return new double[] {ss / points.size(), sp / points.size(), pp / points.size()};
  }

  static double[] majorOf(double ss, double sp, double pp) {
    double angle = 0.5 * Math.atan2(2 * sp, ss - pp);
    return new double[] {Math.cos(angle), Math.sin(angle)};
  }

  /** Ratio of the larger to the smaller eigenvalue (infinite for a line). */
  static double elongation(double ss, double sp, double pp) {
    double mean = (ss + pp) / 2;
    double d = Math.sqrt((ss - pp) * (ss - pp) / 4 + sp * sp);
    double small = mean - d;
    return small <= 0 ? Double.POSITIVE_INFINITY : (mean + d) / small;
  }
}
