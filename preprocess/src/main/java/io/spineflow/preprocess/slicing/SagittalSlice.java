package io.spineflow.preprocess.slicing;

import io.spineflow.imaging.labels.SliceLabelScope;

/**
 * One preprocessed sagittal slice, ready for the model.
 *
 * @param sliceIndex index in the reoriented study (patient right → left)
 * @param sourceSliceIndex index along the sagittal axis of the original file
 * @param width columns (anterior → posterior)
 * @param height rows (superior → inferior)
 * @param pixels row-major intensities in [0, 1]; padding 0
 * @param label row-major merged classes 0..3, or null for an unlabelled study
 * @param pixelSpacing mm per pixel, both directions
 * @param sliceThickness mm between sagittal slices of the source
 * @param pixelToPhysical row-major 3×3: physical LPS point = M · (column, row, 1)
 * @param labelScope where the label is known (classes, rows of the extent) for a partially labelled
 *     study; null for a complete label or an unlabelled study
 */
public record SagittalSlice(
    int sliceIndex,
    int sourceSliceIndex,
    int width,
    int height,
    float[] pixels,
    byte[] label,
    double pixelSpacing,
    double sliceThickness,
    double[] pixelToPhysical,
    SliceLabelScope labelScope) {

  /** A slice with a complete label, or of an unlabelled study. */
  public SagittalSlice(
      int sliceIndex,
      int sourceSliceIndex,
      int width,
      int height,
      float[] pixels,
      byte[] label,
      double pixelSpacing,
      double sliceThickness,
      double[] pixelToPhysical) {
    this(
        sliceIndex,
        sourceSliceIndex,
        width,
        height,
        pixels,
        label,
        pixelSpacing,
        sliceThickness,
        pixelToPhysical,
        null);
  }

  /** The physical (LPS, mm) point at the centre of pixel (column, row). */
  public double[] physicalPoint(double column, double row) {
    double[] m = pixelToPhysical;
    return new double[] {
      m[0] * column + m[1] * row + m[2],
      m[3] * column + m[4] * row + m[5],
      m[6] * column + m[7] * row + m[8]
    };
  }
}
