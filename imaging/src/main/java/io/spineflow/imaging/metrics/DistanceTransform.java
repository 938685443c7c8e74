package io.spineflow.imaging.metrics;

/**
 * Exact squared Euclidean distance transform on a 2D grid with anisotropic pixel spacing, by
 * Felzenszwalb and Huttenlocher's lower envelope of parabolas ("Distance Transforms of Sampled
 * Functions", 2012): one 1D pass down every column, then one along every row, O(width × height) in
 * all. Exact, unlike chamfer or two-pass propagation approximations, which is what surface metrics
 * in millimetres need.
 *
 * <p>Not thread-safe: an instance holds scratch space for the 1D passes. Create one per thread.
 */
final class DistanceTransform {
  private int[] parabolaSites = new int[0];
  private double[] boundaries = new double[0];
  private double[] line = new double[0];

  /**
   * Replaces {@code grid} (row-major, {@code width × height}; 0 at the sites, {@code +∞} elsewhere)
   * by the squared distance of every pixel to its nearest site, in mm². A grid without sites stays
   * all {@code +∞}.
   */
  void squaredDistances(double[] grid, int width, int height, PixelSpacing spacing) {
    ensureCapacity(Math.max(width, height));
    double rowWeight = spacing.rowMm() * spacing.rowMm();
    double columnWeight = spacing.columnMm() * spacing.columnMm();
    for (int x = 0; x < width; x++) {
      transformLine(grid, x, width, height, rowWeight); // down a column: steps are rows apart
    }
    for (int y = 0; y < height; y++) {
      transformLine(grid, y * width, 1, width, columnWeight);
    }
  }

  /**
   * The 1D transform in place: {@code d(q) = min_p weight·(q − p)² + f(p)} over the {@code n}
   * values at {@code start, start + stride, ...}. Infinite values are not sites and are skipped.
   */
  private void transformLine(double[] grid, int start, int stride, int n, double weight) {
    double[] f = line;
    int[] v = parabolaSites;
    double[] z = boundaries;
    int k = -1;
    for (int q = 0, i = start; q < n; q++, i += stride) {
      f[q] = grid[i];
      if (f[q] == Double.POSITIVE_INFINITY) {
        continue;
      }
      if (k < 0) {
        k = 0;
        v[0] = q;
        z[0] = Double.NEGATIVE_INFINITY;
        z[1] = Double.POSITIVE_INFINITY;
        continue;
      }
      double s = intersection(f, v[k], q, weight);
      while (s <= z[k]) { // the new parabola hides the last one of the envelope
        k--;
        s = intersection(f, v[k], q, weight);
      }
      k++;
      v[k] = q;
      z[k] = s;
      z[k + 1] = Double.POSITIVE_INFINITY;
    }
    if (k < 0) {
      return; // no site on this line: it stays infinite
    }
    k = 0;
    for (int q = 0, i = start; q < n; q++, i += stride) {
      while (z[k + 1] < q) {
        k++;
      }
      double dq = q - v[k];
      grid[i] = weight * dq * dq + f[v[k]];
    }
  }

  // Where the parabolas rooted at p and q (p < q) cross; z[0] = -∞ stops the loop above, so k never
  // drops below 0 there.
  private static double intersection(double[] f, int p, int q, double weight) {
    return ((f[q] + weight * q * q) - (f[p] + weight * (double) p * p)) / (2 * weight * (q - p));
  }

  private void ensureCapacity(int n) {
    if (line.length < n) {
      line = new double[n];
      parabolaSites = new int[n];
      boundaries = new double[n + 1];
    }
  }
}
