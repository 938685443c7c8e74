package io.spineflow.imaging.volume;

import io.spineflow.imaging.metrics.SpineClass;

/**
 * How a source voxel reads its class from a mask at a continuous (column, row). Both only ever
 * return one of the mask's classes: a label is never averaged into a value that is no class.
 */
public enum Interpolation {
  /**
   * The nearest pixel's class ({@code floor(x + 0.5)}, the rounding preprocess uses for labels).
   * Exact where the mask is as fine as the scan; on a coarser mask every boundary becomes a
   * staircase of mask pixels.
   */
  NEAREST {
    @Override
    int classAt(SliceMask mask, double column, double row) {
      int c = (int) Math.floor(column + 0.5);
      int r = (int) Math.floor(row + 0.5);
      return mask.inside(c, r) ? mask.classAt(c, r) : SpineClass.BACKGROUND.id();
    }
  },
  /**
   * Per-class bilinear: each class's indicator (1 on its pixels, 0 elsewhere) is interpolated
   * bilinearly from the four surrounding pixels and the class with the largest value wins; pixels
   * off the grid count as background; a tie goes to the nearest pixel's class. This is how nnU-Net
   * and TotalSegmentator upsample label maps ("one-hot linear, then argmax"): on a mask coarser
   * than the scan, boundaries run between the pixel centres instead of along their squares' edges,
   * which is closer to the true outline.
   */
  LINEAR {
    @Override
    int classAt(SliceMask mask, double column, double row) {
      int c0 = (int) Math.floor(column);
      int r0 = (int) Math.floor(row);
      double wc = column - c0;
      double wr = row - r0;
      double[] weight = new double[SliceMask.CLASSES];
      add(mask, c0, r0, (1 - wc) * (1 - wr), weight);
      add(mask, c0 + 1, r0, wc * (1 - wr), weight);
      add(mask, c0, r0 + 1, (1 - wc) * wr, weight);
      add(mask, c0 + 1, r0 + 1, wc * wr, weight);
      int best = NEAREST.classAt(mask, column, row);
      for (int cls = 0; cls < weight.length; cls++) {
        if (weight[cls] > weight[best]) {
          best = cls;
        }
      }
      return best;
    }

    private static void add(SliceMask mask, int c, int r, double w, double[] weight) {
      weight[mask.inside(c, r) ? mask.classAt(c, r) : SpineClass.BACKGROUND.id()] += w;
    }
  };

  /** The class (0..3) voxel position (column, row) of {@code mask} takes. */
  abstract int classAt(SliceMask mask, double column, double row);
}
