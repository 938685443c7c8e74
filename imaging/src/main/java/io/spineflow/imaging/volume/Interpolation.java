package io.spineflow.imaging.volume;

import io.spineflow.imaging.metrics.SpineClass;

/**
 * How a source voxel reads its class from a mask at a continuous (column, row). Every one only ever
 * returns one of the mask's classes: a label is never averaged into a value that is no class.
 */
public enum Interpolation {
  /**
   * The nearest pixel's class ({@code floor(x + 0.5)}, the rounding preprocess uses for labels).
   * Exact where the mask is as fine as the scan; on a coarser mask every boundary becomes a
   * staircase of mask pixels.
   */
  NEAREST {
    @Override
    Sampler sampler(SliceMask mask) {
      return (column, row) -> nearest(mask, column, row);
    }
  },
  /**
   * Per-class bilinear: each class's indicator (1 on its pixels, 0 elsewhere) is interpolated
   * bilinearly from the four surrounding pixels and the class with the largest value wins; pixels
   * off the grid count as background; a tie goes to the nearest pixel's class. How nnU-Net and
   * TotalSegmentator upsample label maps ("one-hot linear, then argmax"): boundaries run between
   * the pixel centres instead of along the edges of their squares.
   */
  LINEAR {
    @Override
    Sampler sampler(SliceMask mask) {
      return (column, row) -> linear(mask, column, row);
    }
  },
  /**
   * Per-class Gaussian: each class's indicator is smoothed on the mask grid with a Gaussian of
   * {@value GaussianLabelSampler#SIGMA_PIXELS} pixels, then read as {@link #LINEAR}; the class with
   * the largest response wins (ITK's {@code LabelImageGaussianInterpolateImageFunction}, ANTs'
   * {@code MultiLabel} interpolation). Smoothing along a boundary averages where it crosses many
   * pixels, so a slanted or curved outline is placed to a fraction of a pixel rather than to the
   * pixel, which matters when the mask is much coarser than the scan.
   */
  GAUSSIAN {
    @Override
    Sampler sampler(SliceMask mask) {
      return GaussianLabelSampler.of(mask);
    }
  };

  /** Reads the classes of one mask, with whatever it precomputed for that mask. */
  interface Sampler {
    /** The class (0..3) at continuous (column, row); off the grid reads as background. */
    int classAt(double column, double row);
  }

  /** A reader of {@code mask}, prepared once per mask. */
  abstract Sampler sampler(SliceMask mask);

  static int nearest(SliceMask mask, double column, double row) {
    int c = (int) Math.floor(column + 0.5);
    int r = (int) Math.floor(row + 0.5);
    return mask.inside(c, r) ? mask.classAt(c, r) : SpineClass.BACKGROUND.id();
  }

  private static int linear(SliceMask mask, double column, double row) {
    int c0 = (int) Math.floor(column);
    int r0 = (int) Math.floor(row);
    double wc = column - c0;
    double wr = row - r0;
    double[] weight = new double[SliceMask.CLASSES];
    add(mask, c0, r0, (1 - wc) * (1 - wr), weight);
    add(mask, c0 + 1, r0, wc * (1 - wr), weight);
    add(mask, c0, r0 + 1, (1 - wc) * wr, weight);
    add(mask, c0 + 1, r0 + 1, wc * wr, weight);
    return argmax(weight, nearest(mask, column, row));
  }

  private static void add(SliceMask mask, int c, int r, double w, double[] weight) {
    weight[mask.inside(c, r) ? mask.classAt(c, r) : SpineClass.BACKGROUND.id()] += w;
  }

  /**
   * Weights closer than this are a tie. Why not exact equality: halfway between two pixels the
   * weights are equal in exact arithmetic but not in floating point, and which side the rounding
   * falls on would decide the class.
   */
  static final double TIE = 1e-6;

  /** The class with the largest weight; {@code tie} (the nearest pixel's) unless clearly beaten. */
  static int argmax(double[] weight, int tie) {
    int best = tie;
    for (int cls = 0; cls < weight.length; cls++) {
      if (weight[cls] > weight[best] + TIE) {
        best = cls;
      }
    }
    return best;
  }
}
