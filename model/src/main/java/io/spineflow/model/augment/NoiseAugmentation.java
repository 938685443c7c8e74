package io.spineflow.model.augment;

import io.spineflow.model.LabelledSlice;
import java.util.Random;

/**
 * Additive Gaussian noise with a standard deviation uniform in [0, {@code maxSigma}] (intensities
 * are in [0, 1]), clipped to [0, 1].
 *
 * @param maxSigma the largest noise standard deviation, 0..0.5
 */
public record NoiseAugmentation(double maxSigma) implements SliceAugmentation {
  /** Checks the range. */
  public NoiseAugmentation {
    if (!(maxSigma >= 0 && maxSigma <= 0.5)) {
      throw new IllegalArgumentException("noise sigma must be 0..0.5: " + maxSigma);
    }
  }

  @Override
  public LabelledSlice augment(LabelledSlice slice, Random random) {
    double sigma = maxSigma * random.nextDouble();
    float[] in = slice.pixels();
    float[] out = new float[in.length];
    for (int i = 0; i < in.length; i++) {
      out[i] = (float) (in[i] + sigma * random.nextGaussian());
    }
    return Intensities.withPixels(slice, out);
  }
}
