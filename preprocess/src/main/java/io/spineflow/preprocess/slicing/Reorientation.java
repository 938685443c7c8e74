package io.spineflow.preprocess.slicing;

import io.spineflow.imaging.ImageGeometry;

/**
 * How to read a study's voxels so every sagittal slice shows the patient the same way, whatever the
 * array layout of the file: a permutation and flips of the array axes, no interpolation.
 *
 * <p>The convention (LPS: physical x grows to the patient's left, y to posterior, z to superior):
 *
 * <ul>
 *   <li>slices are ordered patient right → left (slice index grows with x);
 *   <li>rows run superior → inferior (row 0 is the most superior, largest z);
 *   <li>columns run anterior → posterior (column 0 is the most anterior, smallest y), so the
 *       patient faces the left edge of the image, as radiologists view sagittal MR.
 * </ul>
 *
 * The row axis is the non-sagittal axis whose direction column is closest to z (largest {@code
 * |direction[2][c]|}), the column axis the remaining one; each axis is flipped when its direction
 * runs against the convention. Oblique acquisitions keep their residual in-plane tilt (under 45°):
 * slices are the file's own planes, and {@code pixelToPhysical} records the true geometry.
 *
 * <p>When the header has no direction ({@link SagittalAxis.Source#LARGEST_SPACING}) the in-plane
 * orientation cannot be known; the array is then shown as stored, the lower remaining axis as
 * columns and the higher as rows, unflipped (how a 2D sagittal image is stored row by row).
 *
 * @param axes array axis of the slices, rows and columns, in that order
 * @param flips whether slices, rows, columns run against the array axis
 */
public record Reorientation(int[] size, double[] spacing, int[] axes, boolean[] flips) {

  /** Index in {@link #axes()} and {@link #flips()}. */
  public static final int SLICE = 0;

  public static final int ROW = 1;
  public static final int COLUMN = 2;

  public Reorientation {
    size = size.clone();
    spacing = spacing.clone();
    axes = axes.clone();
    flips = flips.clone();
  }

  /** The reorientation of {@code geometry} around its sagittal axis. */
  public static Reorientation of(ImageGeometry geometry, SagittalAxis sagittal) {
    int s = sagittal.axis();
    int a = s == 0 ? 1 : 0;
    int b = s == 2 ? 1 : 2;
    if (sagittal.source() == SagittalAxis.Source.LARGEST_SPACING) {
      return new Reorientation(
          geometry.size(),
          geometry.spacing(),
          new int[] {s, b, a},
          new boolean[] {false, false, false});
    }
    // Ties (a 45° tilt) go to the higher axis as rows, like the no-direction convention.
    boolean aIsRows = Math.abs(geometry.direction(2, a)) > Math.abs(geometry.direction(2, b));
    int row = aIsRows ? a : b;
    int column = aIsRows ? b : a;
    return new Reorientation(
        geometry.size(),
        geometry.spacing(),
        new int[] {s, row, column},
        new boolean[] {
          geometry.direction(0, s) < 0, // index must grow towards the left (+x)
          geometry.direction(2, row) > 0, // index must grow towards inferior (-z)
          geometry.direction(1, column) < 0 // index must grow towards posterior (+y)
        });
  }

  public int slices() {
    return size[axes[SLICE]];
  }

  public int rows() {
    return size[axes[ROW]];
  }

  public int columns() {
    return size[axes[COLUMN]];
  }

  /** mm between sagittal slices. */
  public double sliceSpacing() {
    return spacing[axes[SLICE]];
  }

  public double rowSpacing() {
    return spacing[axes[ROW]];
  }

  public double columnSpacing() {
    return spacing[axes[COLUMN]];
  }

  /** The original file's array index of reoriented slice {@code slice}. */
  public int sourceSliceIndex(int slice) {
    return flips[SLICE] ? slices() - 1 - slice : slice;
  }

  /** Linear voxel index step for one reoriented row (may be negative). */
  public int rowStride() {
    return stride(ROW);
  }

  /** Linear voxel index step for one reoriented column (may be negative). */
  public int columnStride() {
    return stride(COLUMN);
  }

  /** Linear voxel index of reoriented (slice, row 0, column 0). */
  public int sliceOrigin(int slice) {
    int index = sourceSliceIndex(slice) * arrayStride(axes[SLICE]);
    if (flips[ROW]) {
      index += (rows() - 1) * arrayStride(axes[ROW]);
    }
    if (flips[COLUMN]) {
      index += (columns() - 1) * arrayStride(axes[COLUMN]);
    }
    return index;
  }

  /**
   * The continuous array index (x, y, z order of the file) of a continuous reoriented position, for
   * mapping slice pixels back to physical space.
   */
  public double[] arrayIndex(double slice, double row, double column) {
    double[] index = new double[3];
    double[] reoriented = {slice, row, column};
    for (int role = 0; role < 3; role++) {
      int axis = axes[role];
      index[axis] = flips[role] ? size[axis] - 1 - reoriented[role] : reoriented[role];
    }
    return index;
  }

  private int stride(int role) {
    int step = arrayStride(axes[role]);
    return flips[role] ? -step : step;
  }

  private int arrayStride(int axis) {
    return switch (axis) {
      case 0 -> 1;
      case 1 -> size[0];
      default -> size[0] * size[1];
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Reorientation r
        && java.util.Arrays.equals(size, r.size)
        && java.util.Arrays.equals(spacing, r.spacing)
        && java.util.Arrays.equals(axes, r.axes)
        && java.util.Arrays.equals(flips, r.flips);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(axes) * 31 + java.util.Arrays.hashCode(flips);
  }

  @Override
  public String toString() {
    return "Reorientation[slices=axis "
        + axes[SLICE]
        + (flips[SLICE] ? " flipped" : "")
        + ", rows=axis "
        + axes[ROW]
        + (flips[ROW] ? " flipped" : "")
        + ", columns=axis "
        + axes[COLUMN]
        + (flips[COLUMN] ? " flipped" : "")
        + "]";
  }
}
