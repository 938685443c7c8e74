package io.spineflow.model.augment;

import io.spineflow.model.LabelledSlice;
import java.util.Random;

/**
 * A multiplicative bias field, the smooth shading of receive coils: {@code exp} of a random
 * second-order polynomial in the normalised coordinates, each coefficient uniform in ±{@code
 * maxCoefficient}, clipped to [0, 1].
 *
 * @param maxCoefficient the largest polynomial coefficient, 0..1 (0.3 shades by up to about ±35 %)
 */
public record BiasFieldAugmentation(double maxCoefficient) implements SliceAugmentation {
  /** Checks the range. */
  public BiasFieldAugmentation {
    if (!(maxCoefficient >= 0 && maxCoefficient <= 1)) {
      throw new IllegalArgumentException("bias coefficient must be 0..1: " + maxCoefficient);
    }
  }

  @Override
  public LabelledSlice augment(LabelledSlice slice, Random random) {
    double[] c = new double[5];
    for (int i = 0; i < c.length; i++) {
      c[i] = Intensities.symmetric(random) * maxCoefficient;
    }
    int w = slice.width();
    int h = slice.height();
    float[] in = slice.pixels();
    float[] out = new float[in.length];
    for (int y = 0; y < h; y++) {
      double v = h == 1 ? 0 : 2.0 * y / (h - 1) - 1;
      for (int x = 0; x < w; x++) {
        double u = w == 1 ? 0 : 2.0 * x / (w - 1) - 1;
        double log =
            c[0] * u + c[1] * v + c[2] * u * v + c[3] * (u * u - 0.5) + c[4] * (v * v - 0.5);
        out[y * w + x] = (float) (in[y * w + x] * Math.exp(log));
      }
    }
    return Intensities.withPixels(slice, out);
  }
}
