package io.spineflow.preprocess.slicing;

/**
 * Pixels of each merged class in the image content of one slice (padding excluded, so the counts
 * and the ratios built on them do not depend on the model's input size).
 */
public record ClassCounts(long background, long vertebrae, long canal, long discs) {

  /** Counts the content pixels of a resampled label. */
  public static ClassCounts of(byte[] label, SliceGrid grid) {
    return of(label, grid, 0, grid.height() - 1);
  }

  /**
   * Counts the content pixels of a resampled label on rows {@code firstRow..lastRow} (a labelled
   * extent; outside it every pixel is unknown).
   */
  public static ClassCounts of(byte[] label, SliceGrid grid, int firstRow, int lastRow) {
    long[] counts = new long[LabelMerge.CLASSES];
    int from = Math.max(grid.contentY(), firstRow);
    int to = Math.min(grid.contentY() + grid.contentHeight() - 1, lastRow);
    for (int y = from; y <= to; y++) {
      int row = y * grid.width();
      for (int x = grid.contentX(); x < grid.contentX() + grid.contentWidth(); x++) {
        counts[label[row + x]]++;
      }
    }
    return new ClassCounts(counts[0], counts[1], counts[2], counts[3]);
  }

  public long[] asArray() {
    return new long[] {background, vertebrae, canal, discs};
  }

  public long total() {
    return background + vertebrae + canal + discs;
  }

  /** True when every one of the four classes has at least one pixel. */
  public boolean hasAllClasses() {
    return background > 0 && vertebrae > 0 && canal > 0 && discs > 0;
  }

  /**
   * True when each judged class has at least one pixel.
   *
   * @param judged by merged class id, the classes to check
   */
  public boolean hasClasses(boolean[] judged) {
    long[] counts = asArray();
    for (int c = 0; c < counts.length; c++) {
      if (judged[c] && counts[c] == 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Ahmed et al.'s class-imbalance ratio of this slice: the highest class weight divided by the
   * lowest, where a class weight is its pixel count over the slice's pixel count (the total
   * cancels, so it is the largest count over the smallest). Infinite when a class is absent.
   */
  public double imbalanceRatio() {
    return imbalanceRatio(new boolean[] {true, true, true, true});
  }

  /** {@link #imbalanceRatio()} over the judged classes only (by merged class id). */
  public double imbalanceRatio(boolean[] judged) {
    long[] counts = asArray();
    long max = 0;
    long min = Long.MAX_VALUE;
    for (int c = 0; c < counts.length; c++) {
      if (judged[c]) {
        max = Math.max(max, counts[c]);
        min = Math.min(min, counts[c]);
      }
    }
    return min == 0 ? Double.POSITIVE_INFINITY : (double) max / min;
  }
}
