package io.spineflow.imaging.phantom;

import io.spineflow.imaging.ImageGeometry;

/**
 * A study's voxel grid described along the patient axes, before any array layout: axis 0 runs
 * left-right, 1 anterior-posterior, 2 inferior-superior, each along a unit vector of the slightly
 * rotated scanner frame. The generator fills volumes in this canonical order (left-right fastest)
 * and only then reorders them into the requested {@link VoxelGridLayout}, so the same patient in
 * two layouts has the very same voxels at the very same physical points.
 */
final class PatientGrid {
  private final int[] counts;
  private final double[] spacing;
  private final double[][] axes;
  private final double[] firstVoxel;

  /**
   * @param counts voxels along left-right, anterior-posterior, inferior-superior
   * @param spacing millimetres between voxel centres along the same axes
   * @param axes unit vectors (physical LPS) of the three axes, towards L, P and S
   * @param firstVoxel physical centre of canonical voxel (0, 0, 0)
   */
  PatientGrid(int[] counts, double[] spacing, double[][] axes, double[] firstVoxel) {
    this.counts = counts.clone();
    this.spacing = spacing.clone();
    this.axes = new double[][] {axes[0].clone(), axes[1].clone(), axes[2].clone()};
    this.firstVoxel = firstVoxel.clone();
  }

  int count(int axis) {
    return counts[axis];
  }

  double spacing(int axis) {
    return spacing[axis];
  }

  /** Unit vector of a patient axis (a copy). */
  double[] axis(int axis) {
    return axes[axis].clone();
  }

  int voxelCount() {
    return counts[0] * counts[1] * counts[2];
  }

  /** Physical centre of canonical voxel (i, j, k); fractional indices are allowed. */
  double[] position(double i, double j, double k) {
    double[] p = firstVoxel.clone();
    double[] index = {i, j, k};
    for (int a = 0; a < 3; a++) {
      for (int c = 0; c < 3; c++) {
        p[c] += index[a] * spacing[a] * axes[a][c];
      }
    }
    return p;
  }

  /** Fractional canonical index of a physical point (inverse of {@link #position}). */
  double[] continuousIndex(double[] point) {
    double[] index = new double[3];
    for (int a = 0; a < 3; a++) {
      double dot = 0;
      for (int c = 0; c < 3; c++) {
        dot += (point[c] - firstVoxel[c]) * axes[a][c];
      }
      index[a] = dot / spacing[a];
    }
    return index;
  }

  /** Degrees between the grid and the LPS axes (the rotation that tilts the acquisition). */
  double rotationDegrees() {
    double trace = axes[0][0] + axes[1][1] + axes[2][2];
    return Math.toDegrees(StrictMath.acos(Math.max(-1, Math.min(1, (trace - 1) / 2))));
  }

  /** The image geometry of this grid stored in {@code layout}. */
  ImageGeometry geometry(VoxelGridLayout layout) {
    int[] size = new int[3];
    double[] arraySpacing = new double[3];
    double[] direction = new double[9];
    double[] cornerIndex = new double[3];
    for (int c = 0; c < 3; c++) {
      int a = layout.patientAxis(c).lpsIndex();
      double sign = layout.flipped(c) ? -1 : 1;
      size[c] = counts[a];
      arraySpacing[c] = spacing[a];
      for (int r = 0; r < 3; r++) {
        direction[r * 3 + c] = sign * axes[a][r];
      }
      // Array index 0 of a flipped axis is the last canonical voxel.
      cornerIndex[a] = layout.flipped(c) ? counts[a] - 1 : 0;
    }
    double[] origin = position(cornerIndex[0], cornerIndex[1], cornerIndex[2]);
    return new ImageGeometry(size, arraySpacing, origin, direction);
  }

  /**
   * For each array voxel (in array order, {@code size[0]} fastest) of {@code layout}, the index of
   * the canonical voxel it holds.
   */
  int[] arrayToCanonical(VoxelGridLayout layout) {
    int[] axisOf = new int[3];
    boolean[] flip = new boolean[3];
    int[] size = new int[3];
    for (int c = 0; c < 3; c++) {
      axisOf[c] = layout.patientAxis(c).lpsIndex();
      flip[c] = layout.flipped(c);
      size[c] = counts[axisOf[c]];
    }
    int[] stride = {1, counts[0], counts[0] * counts[1]};
    int[] map = new int[voxelCount()];
    int out = 0;
    for (int m2 = 0; m2 < size[2]; m2++) {
      int base2 = canonicalOffset(m2, size[2], flip[2], stride[axisOf[2]]);
      for (int m1 = 0; m1 < size[1]; m1++) {
        int base1 = base2 + canonicalOffset(m1, size[1], flip[1], stride[axisOf[1]]);
        for (int m0 = 0; m0 < size[0]; m0++) {
          map[out++] = base1 + canonicalOffset(m0, size[0], flip[0], stride[axisOf[0]]);
        }
      }
    }
    return map;
  }

  private static int canonicalOffset(int index, int size, boolean flip, int stride) {
    return (flip ? size - 1 - index : index) * stride;
  }
}
