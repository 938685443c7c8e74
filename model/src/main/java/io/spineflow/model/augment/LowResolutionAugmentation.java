package io.spineflow.model.augment;

import io.spineflow.model.LabelledSlice;
import java.util.Random;

/**
 * A lower acquisition resolution: the slice averaged down by a factor uniform in [1, {@code
 * maxFactor}] (box filter) and interpolated back up bilinearly. The label is not touched: the
 * anatomy is where it was, only the image is coarser.
 *
 * @param maxFactor the largest downsampling factor, 1..8
 */
public record LowResolutionAugmentation(double maxFactor) implements SliceAugmentation {
  /** Checks the range. */
  public LowResolutionAugmentation {
    if (!(maxFactor >= 1 && maxFactor <= 8)) {
      throw new IllegalArgumentException("resolution factor must be 1..8: " + maxFactor);
    }
  }

  @Override
  public LabelledSlice augment(LabelledSlice slice, Random random) {
    double factor = 1 + (maxFactor - 1) * random.nextDouble();
    int w = slice.width();
    int h = slice.height();
    int lw = Math.max(1, (int) Math.round(w / factor));
    int lh = Math.max(1, (int) Math.round(h / factor));
    float[] in = slice.pixels();
    float[] low = new float[lw * lh];
    int[] counts = new int[lw * lh];
    for (int y = 0; y < h; y++) {
      int ly = Math.min(lh - 1, y * lh / h);
      for (int x = 0; x < w; x++) {
        int j = ly * lw + Math.min(lw - 1, x * lw / w);
        low[j] += in[y * w + x];
        counts[j]++;
      }
    }
    for (int j = 0; j < low.length; j++) {
      low[j] /= Math.max(1, counts[j]);
    }
    float[] out = new float[in.length];
    double sx = (double) lw / w;
    double sy = (double) lh / h;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        // Pixel centres map to pixel centres: (x + 0.5)·lw/w − 0.5 in the coarse grid.
        out[y * w + x] =
            GeometricWarp.bilinear(low, lw, lh, (x + 0.5) * sx - 0.5, (y + 0.5) * sy - 0.5);
      }
    }
    return Intensities.withPixels(slice, out);
  }
}
