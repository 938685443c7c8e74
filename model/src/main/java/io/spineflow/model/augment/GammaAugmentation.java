package io.spineflow.model.augment;

import io.spineflow.model.LabelledSlice;
import java.util.Random;

/**
 * A gamma curve {@code p^γ}, {@code ln γ} uniform in ±{@code maxLogGamma}: scanners and sequences
 * map tissue to grey values non-linearly.
 *
 * @param maxLogGamma the largest |ln γ|, 0..2
 */
public record GammaAugmentation(double maxLogGamma) implements SliceAugmentation {
  /** Checks the range. */
  public GammaAugmentation {
    if (!(maxLogGamma >= 0 && maxLogGamma <= 2)) {
      throw new IllegalArgumentException("gamma |ln γ| must be 0..2: " + maxLogGamma);
    }
  }

  @Override
  public LabelledSlice augment(LabelledSlice slice, Random random) {
    double gamma = Math.exp(Intensities.symmetric(random) * maxLogGamma);
    float[] in = slice.pixels();
    float[] out = new float[in.length];
    for (int i = 0; i < in.length; i++) {
      out[i] = (float) Math.pow(Math.max(0, in[i]), gamma);
    }
    return Intensities.withPixels(slice, out);
  }
}
