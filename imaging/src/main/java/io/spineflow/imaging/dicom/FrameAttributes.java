package io.spineflow.imaging.dicom;

/**
 * What one frame's geometry and value transformation are, from its per-frame functional groups, the
 * shared functional groups, or (a classic single-frame image) the data set's own attributes, in
 * that order of precedence. Series assembly uses these; the reader only collects them.
 *
 * @param imagePositionPatient x, y, z of the first pixel in mm, or null when absent
 * @param imageOrientationPatient row then column direction cosines (6 values), or null
 * @param pixelSpacing row spacing then column spacing in mm (2 values), or null
 * @param sliceThickness in mm, or null
 * @param spacingBetweenSlices in mm, or null
 * @param rescaleSlope applied to this frame's values; 1 when absent
 * @param rescaleIntercept applied to this frame's values; 0 when absent
 * @param inStackPositionNumber Frame Content's In-Stack Position Number, or null
 * @param temporalPositionIndex Frame Content's Temporal Position Index, or null
 * @param dimensionIndexValues Frame Content's Dimension Index Values, or null
 */
public record FrameAttributes(
    double[] imagePositionPatient,
    double[] imageOrientationPatient,
    double[] pixelSpacing,
    Double sliceThickness,
    Double spacingBetweenSlices,
    double rescaleSlope,
    double rescaleIntercept,
    Long inStackPositionNumber,
    Long temporalPositionIndex,
    long[] dimensionIndexValues) {}
