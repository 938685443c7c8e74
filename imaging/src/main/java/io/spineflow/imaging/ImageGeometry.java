package io.spineflow.imaging;

import java.util.Arrays;

/**
 * Where an image's voxels sit in patient space, in ITK's conventions: {@code size[0]} is the
 * fastest varying axis; {@code direction} is the N×N direction matrix stored row-major (element
 * [r][c] at {@code r*N+c}), whose column c is the unit vector of array axis c in physical (LPS)
 * space.
 */
public record ImageGeometry(int[] size, double[] spacing, double[] origin, double[] direction) {

  public ImageGeometry {
    int n = size.length;
    if (n < 1 || spacing.length != n || origin.length != n || direction.length != n * n) {
      throw new IllegalArgumentException(
          "inconsistent geometry: size "
              + n
              + " axes, spacing "
              + spacing.length
              + ", origin "
              + origin.length
              + ", direction "
              + direction.length
              + " (expected "
              + n * n
              + ")");
    }
    size = size.clone();
    spacing = spacing.clone();
    origin = origin.clone();
    direction = direction.clone();
  }

  /** Identity direction, unit spacing, zero origin. */
  public static ImageGeometry of(int... size) {
    int n = size.length;
    double[] spacing = new double[n];
    Arrays.fill(spacing, 1.0);
    double[] direction = new double[n * n];
    for (int i = 0; i < n; i++) {
      direction[i * n + i] = 1.0;
    }
    return new ImageGeometry(size, spacing, new double[n], direction);
  }

  public int dimensions() {
    return size.length;
  }

  /** Number of voxels (product of the size). */
  public long voxelCount() {
    long count = 1;
    for (int s : size) {
      count *= s;
    }
    return count;
  }

  /** Component [row][col] of the direction matrix. */
  public double direction(int row, int col) {
    return direction[row * size.length + col];
  }

  /** True when the two describe the same grid (sizes equal, the rest within {@code tolerance}). */
  public boolean sameGrid(ImageGeometry other, double tolerance) {
    return Arrays.equals(size, other.size)
        && close(spacing, other.spacing, tolerance)
        && close(origin, other.origin, tolerance)
        && close(direction, other.direction, tolerance);
  }

  private static boolean close(double[] a, double[] b, double tolerance) {
    if (a.length != b.length) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      if (Math.abs(a[i] - b[i]) > tolerance) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int[] size() {
    return size.clone();
  }

  @Override
  public double[] spacing() {
    return spacing.clone();
  }

  @Override
  public double[] origin() {
    return origin.clone();
  }

  @Override
  public double[] direction() {
    return direction.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageGeometry g
        && Arrays.equals(size, g.size)
        && Arrays.equals(spacing, g.spacing)
        && Arrays.equals(origin, g.origin)
        && Arrays.equals(direction, g.direction);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(size) * 31 + Arrays.hashCode(spacing);
  }

  @Override
  public String toString() {
    return "ImageGeometry[size="
        + Arrays.toString(size)
        + ", spacing="
        + Arrays.toString(spacing)
        + ", origin="
        + Arrays.toString(origin)
        + ", direction="
        + Arrays.toString(direction)
        + "]";
  }
}
