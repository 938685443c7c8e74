package io.spineflow.preprocess.slicing;

/**
 * Resamples reoriented sagittal slices onto a {@link SliceGrid}: bilinear for intensities, nearest
 * neighbour for labels (a class is never averaged into another). Taps are computed once per study,
 * so a slice costs four reads per output pixel however large the source is. Source indexes outside
 * the slice clamp to its edge; padding is 0 (background).
 */
public final class InPlaneResampler {
  private final Reorientation orientation;
  private final SliceGrid grid;
  private final int[] column0;
  private final int[] column1;
  private final float[] columnWeight;
  private final int[] columnNearest;
  private final int[] row0;
  private final int[] row1;
  private final float[] rowWeight;
  private final int[] rowNearest;

  public InPlaneResampler(Reorientation orientation, SliceGrid grid) {
    this.orientation = orientation;
    this.grid = grid;
    int w = grid.contentWidth();
    int h = grid.contentHeight();
    column0 = new int[w];
    column1 = new int[w];
    columnWeight = new float[w];
    columnNearest = new int[w];
    row0 = new int[h];
    row1 = new int[h];
    rowWeight = new float[h];
    rowNearest = new int[h];
    taps(
        orientation.columns(),
        orientation.columnStride(),
        grid.contentX(),
        grid.columnOrigin(),
        grid.columnStep(),
        column0,
        column1,
        columnWeight,
        columnNearest);
    taps(
        orientation.rows(),
        orientation.rowStride(),
        grid.contentY(),
        grid.rowOrigin(),
        grid.rowStep(),
        row0,
        row1,
        rowWeight,
        rowNearest);
  }

  private static void taps(
      int n,
      int stride,
      int offset,
      double origin,
      double step,
      int[] i0,
      int[] i1,
      float[] weight,
      int[] nearest) {
    for (int j = 0; j < i0.length; j++) {
      double src = Math.max(0, Math.min(n - 1, origin + (offset + j) * step));
      int lo = (int) Math.floor(src);
      int hi = Math.min(lo + 1, n - 1);
      i0[j] = lo * stride;
      i1[j] = hi * stride;
      weight[j] = (float) (src - lo);
      nearest[j] = (int) Math.floor(src + 0.5) * stride;
    }
  }

  public SliceGrid grid() {
    return grid;
  }

  public Reorientation orientation() {
    return orientation;
  }

  /** Bilinear intensities of reoriented slice {@code slice}, row-major, padding 0. */
  public float[] bilinear(VoxelReader voxels, int slice) {
    int base = orientation.sliceOrigin(slice);
    int width = grid.width();
    float[] out = new float[width * grid.height()];
    for (int y = 0; y < row0.length; y++) {
      int r0 = base + row0[y];
      int r1 = base + row1[y];
      float wy = rowWeight[y];
      int o = (grid.contentY() + y) * width + grid.contentX();
      for (int x = 0; x < column0.length; x++) {
        float wx = columnWeight[x];
        float top = voxels.at(r0 + column0[x]) * (1 - wx) + voxels.at(r0 + column1[x]) * wx;
        float bottom = voxels.at(r1 + column0[x]) * (1 - wx) + voxels.at(r1 + column1[x]) * wx;
        out[o + x] = top * (1 - wy) + bottom * wy;
      }
    }
    return out;
  }

  /** Nearest-neighbour classes of reoriented slice {@code slice}, row-major, padding background. */
  public byte[] nearest(byte[] classes, int slice) {
    int base = orientation.sliceOrigin(slice);
    int width = grid.width();
    byte[] out = new byte[width * grid.height()];
    for (int y = 0; y < rowNearest.length; y++) {
      int r = base + rowNearest[y];
      int o = (grid.contentY() + y) * width + grid.contentX();
      for (int x = 0; x < columnNearest.length; x++) {
        out[o + x] = classes[r + columnNearest[x]];
      }
    }
    return out;
  }
}
