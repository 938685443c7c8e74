package io.spineflow.model.augment;

import io.spineflow.model.LabelledSlice;
import java.util.Random;

/**
 * A random crop resized back to the full slice: a window of {@code f} times the width and height,
 * {@code f} uniform in [{@code minFraction}, 1], at a uniform random position. Teaches the model
 * spines cut by the field of view. Never leaves the image, so it adds no unknown padding.
 *
 * @param minFraction the smallest window side as a fraction of the slice's, 0.3..1
 */
public record CropAugmentation(double minFraction) implements SliceAugmentation {
  /** Checks the range. */
  public CropAugmentation {
    if (!(minFraction >= 0.3 && minFraction <= 1)) {
      throw new IllegalArgumentException("crop fraction must be 0.3..1: " + minFraction);
    }
  }

  @Override
  public LabelledSlice augment(LabelledSlice slice, Random random) {
    double f = minFraction + (1 - minFraction) * random.nextDouble();
    double x0 = (1 - f) * (slice.width() - 1) * random.nextDouble();
    double y0 = (1 - f) * (slice.height() - 1) * random.nextDouble();
    return GeometricWarp.warp(
        slice,
        (x, y, s) -> {
          s[0] = x0 + x * f;
          s[1] = y0 + y * f;
        });
  }
}
