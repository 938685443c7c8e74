package io.spineflow.imaging.volume;

/**
 * The inverse of a slice's {@code pixelToPhysical}: from a physical point to the continuous
 * (column, row) of the slice, and how far the point lies off the slice's plane.
 *
 * <p>Why not the 3×3 matrix inverse: {@code M · (column, row, 1)} embeds a 2D grid in 3D space; its
 * third column is a point, not a direction, so M is singular whenever the plane passes through the
 * physical origin, and for any other point the "inverse" would answer a question about the origin.
 * The exact inverse on the plane is the least-squares one: with {@code A = [a_column a_row]} (the
 * first two columns, one pixel step each) and {@code p0} the centre of pixel (0, 0), {@code
 * (column, row) = (AᵀA)⁻¹ Aᵀ (p − p0)}. For a point on the plane this is exact, whatever the pixel
 * steps' lengths and even if they were not orthogonal; the distance off the plane is then checked
 * separately, so a mask is never projected onto a slice it does not belong to.
 *
 * @param origin {@code p0}, the physical centre of pixel (0, 0)
 * @param inverse row-major 2×3 {@code (AᵀA)⁻¹ Aᵀ}
 * @param normal unit normal of the plane
 */
record SlicePlane(double[] origin, double[] inverse, double[] normal) {

  /** Smallest accepted |a_column × a_row| relative to |a_column|·|a_row| (steps not parallel). */
  static final double MIN_SINE = 1e-6;

  /**
   * The inverse of {@code pixelToPhysical}, or null when its two pixel steps are zero or parallel
   * (no plane).
   */
  static SlicePlane of(double[] pixelToPhysical) {
    double[] m = pixelToPhysical;
    double[] a = {m[0], m[3], m[6]};
    double[] b = {m[1], m[4], m[7]};
    double aa = dot(a, a);
    double bb = dot(b, b);
    double ab = dot(a, b);
    double[] cross = {
      a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]
    };
    double crossLength = Math.sqrt(dot(cross, cross));
    if (!(crossLength > MIN_SINE * Math.sqrt(aa * bb))) {
      return null;
    }
    double det = aa * bb - ab * ab;
    double[] inverse = new double[6];
    for (int i = 0; i < 3; i++) {
      // Rows of (AᵀA)⁻¹ Aᵀ, with (AᵀA)⁻¹ = [bb -ab; -ab aa] / det.
      inverse[i] = (bb * a[i] - ab * b[i]) / det;
      inverse[3 + i] = (aa * b[i] - ab * a[i]) / det;
    }
    double[] normal = {cross[0] / crossLength, cross[1] / crossLength, cross[2] / crossLength};
    return new SlicePlane(new double[] {m[2], m[5], m[8]}, inverse, normal);
  }

  /** The continuous (column, row) of the projection of {@code point} onto the plane. */
  double[] pixelOf(double[] point) {
    return pixelStep(minus(point, origin));
  }

  /** The (column, row) change for a physical displacement {@code step} (no origin). */
  double[] pixelStep(double[] step) {
    return new double[] {
      inverse[0] * step[0] + inverse[1] * step[1] + inverse[2] * step[2],
      inverse[3] * step[0] + inverse[4] * step[1] + inverse[5] * step[2]
    };
  }

  /** Distance (mm) of {@code point} from the plane. */
  double distance(double[] point) {
    return Math.abs(dot(minus(point, origin), normal));
  }

  private static double[] minus(double[] p, double[] q) {
    return new double[] {p[0] - q[0], p[1] - q[1], p[2] - q[2]};
  }

  private static double dot(double[] p, double[] q) {
    return p[0] * q[0] + p[1] * q[1] + p[2] * q[2];
  }
}
