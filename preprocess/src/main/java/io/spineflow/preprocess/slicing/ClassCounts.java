package io.spineflow.preprocess.slicing;

/**
 * Pixels of each merged class in the image content of one slice (padding excluded, so the counts
 * and the ratios built on them do not depend on the model's input size).
 */
public record ClassCounts(long background, long vertebrae, long canal, long discs) {

  /** Counts the content pixels of a resampled label. */
  public static ClassCounts of(byte[] label, SliceGrid grid) {
    long[] counts = new long[LabelMerge.CLASSES];
    for (int y = grid.contentY(); y < grid.contentY() + grid.contentHeight(); y++) {
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
   * Ahmed et al.'s class-imbalance ratio of this slice: the highest class weight divided by the
   * lowest, where a class weight is its pixel count over the slice's pixel count (the total
   * cancels, so it is the largest count over the smallest). Infinite when a class is absent.
   */
  public double imbalanceRatio() {
    long max = 0;
    long min = Long.MAX_VALUE;
    for (long c : asArray()) {
      max = Math.max(max, c);
      min = Math.min(min, c);
    }
    return min == 0 ? Double.POSITIVE_INFINITY : (double) max / min;
  }
}
