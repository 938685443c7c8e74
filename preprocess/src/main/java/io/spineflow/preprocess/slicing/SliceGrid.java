package io.spineflow.preprocess.slicing;

/**
 * Where a reoriented sagittal slice lands in the model's input: square (isotropic) pixels of {@link
 * #pixelSpacing()} mm, the whole field of view scaled so its longer side (relative to the output's
 * aspect) fills the output, and the other side centred with padding. The aspect ratio is never
 * distorted.
 *
 * <p>Isotropic resampling and fitting are one step here, so each output pixel is interpolated once
 * from the source rather than twice (a second interpolation would blur again).
 *
 * <p>Output pixel centres sample the source field of view at even steps: content pixel {@code j}
 * (of {@code m}) maps to the continuous source index {@code (n - 1)/2 + (j + 0.5 - m/2) * step},
 * where {@code step = pixelSpacing / sourceSpacing}, so the sampled region is centred on the
 * source's.
 *
 * @param width output columns
 * @param height output rows
 * @param pixelSpacing mm per output pixel, both directions
 * @param contentX first output column holding image content (columns before it are padding)
 * @param contentY first output row holding image content
 * @param contentWidth output columns holding content
 * @param contentHeight output rows holding content
 * @param columnOrigin continuous source column of output column 0
 * @param columnStep source columns per output column
 * @param rowOrigin continuous source row of output row 0
 * @param rowStep source rows per output row
 */
public record SliceGrid(
    int width,
    int height,
    double pixelSpacing,
    int contentX,
    int contentY,
    int contentWidth,
    int contentHeight,
    double columnOrigin,
    double columnStep,
    double rowOrigin,
    double rowStep) {

  /**
   * The grid fitting a {@code rows × columns} source slice with the given spacings (mm) into {@code
   * width × height} output pixels.
   */
  public static SliceGrid fit(
      int rows, int columns, double rowSpacing, double columnSpacing, int width, int height) {
    if (rows < 1 || columns < 1 || width < 1 || height < 1) {
      throw new IllegalArgumentException("empty slice or output");
    }
    double extentRows = rows * rowSpacing;
    double extentColumns = columns * columnSpacing;
    double pixel = Math.max(extentColumns / width, extentRows / height);
    int contentWidth = clamp((int) Math.round(extentColumns / pixel), width);
    int contentHeight = clamp((int) Math.round(extentRows / pixel), height);
    int contentX = (width - contentWidth) / 2;
    int contentY = (height - contentHeight) / 2;
    double columnStep = pixel / columnSpacing;
    double rowStep = pixel / rowSpacing;
    return new SliceGrid(
        width,
        height,
        pixel,
        contentX,
        contentY,
        contentWidth,
        contentHeight,
        origin(columns, contentX, contentWidth, columnStep),
        columnStep,
        origin(rows, contentY, contentHeight, rowStep),
        rowStep);
  }

  // Source index of output pixel 0: (n-1)/2 + (0 - offset + 0.5 - m/2) * step.
  private static double origin(int n, int offset, int m, double step) {
    return (n - 1) / 2.0 + (0.5 - offset - m / 2.0) * step;
  }

  private static int clamp(int value, int max) {
    return Math.max(1, Math.min(max, value));
  }

  /** Continuous source column of output column {@code x}. */
  public double sourceColumn(double x) {
    return columnOrigin + x * columnStep;
  }

  /** Continuous source row of output row {@code y}. */
  public double sourceRow(double y) {
    return rowOrigin + y * rowStep;
  }

  /** True when output pixel (x, y) holds image content rather than padding. */
  public boolean inContent(int x, int y) {
    return x >= contentX
        && x < contentX + contentWidth
        && y >= contentY
        && y < contentY + contentHeight;
  }
}
