package io.spineflow.imaging.volume;

import io.spineflow.imaging.volume.LabelVolumeException.Reason;
import java.util.Arrays;

/**
 * One segmented slice as the pipeline carries it (a {@code Mask}'s classes with its {@code Slice}'s
 * geometry): what is needed to put it back into the study's original voxel grid.
 *
 * @param sourceSliceIndex index along {@code sagittalAxis} of the original file
 * @param sagittalAxis which array axis of the original file is sagittal (0, 1 or 2)
 * @param width mask columns
 * @param height mask rows
 * @param pixelToPhysical row-major 3×3: physical LPS point = M · (column, row, 1)
 * @param classes row-major classes 0 background, 1 vertebrae, 2 canal, 3 discs
 */
public record SliceMask(
    int sourceSliceIndex,
    int sagittalAxis,
    int width,
    int height,
    double[] pixelToPhysical,
    byte[] classes) {

  /** The number of mask classes (0..3). */
  static final int CLASSES = 4;

  /**
   * @throws LabelVolumeException {@code INVALID_MASK} naming the field: a non-positive size, class
   *     bytes that do not match it or hold a value above 3, an affine that is not 9 finite numbers
   */
  public SliceMask {
    if (width < 1 || height < 1) {
      throw invalid("width/height", ">= 1", width + " x " + height);
    }
    if (classes == null || classes.length != width * height) {
      throw invalid(
          "classes",
          "width * height = " + width * height + " bytes",
          classes == null ? "null" : classes.length + " bytes");
    }
    if (pixelToPhysical == null || pixelToPhysical.length != 9) {
      throw invalid(
          "pixelToPhysical",
          "9 numbers (row-major 3x3)",
          pixelToPhysical == null ? "null" : pixelToPhysical.length + " numbers");
    }
    for (double m : pixelToPhysical) {
      if (!Double.isFinite(m)) {
        throw invalid("pixelToPhysical", "finite numbers", Arrays.toString(pixelToPhysical));
      }
    }
    for (int p = 0; p < classes.length; p++) {
      if ((classes[p] & 0xFF) >= CLASSES) {
        throw invalid("classes[" + p + "]", "0..3", Integer.toString(classes[p] & 0xFF));
      }
    }
    pixelToPhysical = pixelToPhysical.clone();
    classes = classes.clone();
  }

  private static LabelVolumeException invalid(String field, String limit, String actual) {
    return new LabelVolumeException(
        Reason.INVALID_MASK,
        field,
        limit,
        "slice mask " + field + " is " + actual + ", expected " + limit);
  }

  /** True when pixel (column, row) is on the mask's grid. */
  boolean inside(int column, int row) {
    return column >= 0 && row >= 0 && column < width && row < height;
  }

  /** Class of pixel (column, row), which must be inside the grid. */
  int classAt(int column, int row) {
    return classes[row * width + column];
  }

  @Override
  public double[] pixelToPhysical() {
    return pixelToPhysical.clone();
  }

  @Override
  public byte[] classes() {
    return classes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SliceMask m
        && sourceSliceIndex == m.sourceSliceIndex
        && sagittalAxis == m.sagittalAxis
        && width == m.width
        && height == m.height
        && Arrays.equals(pixelToPhysical, m.pixelToPhysical)
        && Arrays.equals(classes, m.classes);
  }

  @Override
  public int hashCode() {
    return (sourceSliceIndex * 31 + sagittalAxis) * 31 + Arrays.hashCode(classes);
  }

  @Override
  public String toString() {
    return "SliceMask[sourceSliceIndex="
        + sourceSliceIndex
        + ", sagittalAxis="
        + sagittalAxis
        + ", "
        + width
        + "x"
        + height
        + ", pixelToPhysical="
        + Arrays.toString(pixelToPhysical)
        + "]";
  }
}
