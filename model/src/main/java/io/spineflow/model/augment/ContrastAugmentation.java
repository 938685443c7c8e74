package io.spineflow.model.augment;

import io.spineflow.model.LabelledSlice;
import java.util.Random;

/**
 * A contrast change about the slice's mean intensity by a factor uniform in 1 ± {@code maxChange},
 * clipped to [0, 1].
 *
 * @param maxChange the largest relative change of contrast, 0..1
 */
public record ContrastAugmentation(double maxChange) implements SliceAugmentation {
  /** Checks the range. */
  public ContrastAugmentation {
    if (!(maxChange >= 0 && maxChange <= 1)) {
      throw new IllegalArgumentException("contrast change must be 0..1: " + maxChange);
    }
  }

  @Override
  public LabelledSlice augment(LabelledSlice slice, Random random) {
    double factor = 1 + Intensities.symmetric(random) * maxChange;
    float[] in = slice.pixels();
    double mean = 0;
    for (float p : in) {
      mean += p;
    }
    mean /= in.length;
    float[] out = new float[in.length];
    for (int i = 0; i < in.length; i++) {
      out[i] = (float) (mean + (in[i] - mean) * factor);
    }
    return Intensities.withPixels(slice, out);
  }
}
