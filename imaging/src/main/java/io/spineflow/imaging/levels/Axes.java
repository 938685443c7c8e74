package io.spineflow.imaging.levels;

import java.util.List;

/**
 * The height axis of each structure: a disc's is the normal of its own mid-plane (the minor
 * principal axis of its pixels), a body's the mean of the axes of the discs next to it, as the
 * body's endplates face them; whatever has neither takes the centreline's tangent.
 */
final class Axes {
  // A disc's own axis is trusted when the disc is at least 1.5 times longer than high (eigenvalue
  // ratio 2.25); a rounder one takes the centreline's tangent.
  private static final double MIN_DISC_ELONGATION = 2.25;

  private Axes() {}

  /** Sets {@code axis} on every level of {@code sorted} (lowest first), oriented superiorly. */
  static void assign(List<Level> sorted) {
    for (Level l : sorted) {
      l.axis = l.isDisc() ? discAxis(l) : l.tangent;
    }
    for (int k = 0; k < sorted.size(); k++) {
      Level l = sorted.get(k);
      if (l.isDisc()) {
        continue;
      }
      double s = 0;
      double p = 0;
      for (int n : new int[] {k - 1, k + 1}) {
        if (n >= 0 && n < sorted.size() && sorted.get(n).isDisc()) {
          s += sorted.get(n).axis[0];
          p += sorted.get(n).axis[1];
        }
      }
      double norm = Math.hypot(s, p);
      if (norm > 0.5) {
        l.axis = new double[] {s / norm, p / norm};
      }
    }
  }

  /**
   * The normal of the disc's mid-plane: its minor principal axis, when the disc is elongated enough
   * for that to be stable; else the centreline's tangent. Oriented like the tangent.
   */
  private static double[] discAxis(Level l) {
    double[] c = l.component.covariance();
    if (PrincipalAxes.elongation(c[0], c[1], c[2]) < MIN_DISC_ELONGATION) {
      return l.tangent;
    }
    double[] major = PrincipalAxes.majorOf(c[0], c[1], c[2]);
    double[] normal = {-major[1], major[0]};
    if (normal[0] * l.tangent[0] + normal[1] * l.tangent[1] < 0) {
      normal = new double[] {-normal[0], -normal[1]};
    }
    return normal;
  }
}
