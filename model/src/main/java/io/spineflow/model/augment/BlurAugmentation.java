package io.spineflow.model.augment;

import io.spineflow.model.LabelledSlice;
import java.util.Random;

/**
 * A Gaussian blur with a standard deviation uniform in [0, {@code maxSigma}] pixels: motion and
 * thick slices soften edges.
 *
 * @param maxSigma the largest blur standard deviation, pixels, 0..8
 */
public record BlurAugmentation(double maxSigma) implements SliceAugmentation {
  /** Checks the range. */
  public BlurAugmentation {
    if (!(maxSigma >= 0 && maxSigma <= 8)) {
      throw new IllegalArgumentException("blur sigma must be 0..8 pixels: " + maxSigma);
    }
  }

  @Override
  public LabelledSlice augment(LabelledSlice slice, Random random) {
    double sigma = maxSigma * random.nextDouble();
    return Intensities.withPixels(
        slice, Intensities.gaussianBlur(slice.pixels(), slice.width(), slice.height(), sigma));
  }
}
