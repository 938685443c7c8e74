package io.spineflow.model.augment;

import io.spineflow.model.LabelledSlice;
import java.util.Random;

/**
 * An isotropic zoom about the slice centre by a factor log-uniform in [1/(1+{@code maxChange}),
 * 1+{@code maxChange}]: patients and fields of view differ in size. Zooming out pads with unknown
 * labels.
 *
 * @param maxChange the largest relative change, 0..1
 */
public record ScalingAugmentation(double maxChange) implements SliceAugmentation {
  /** Checks the range. */
  public ScalingAugmentation {
    if (!(maxChange >= 0 && maxChange <= 1)) {
      throw new IllegalArgumentException("scaling change must be 0..1: " + maxChange);
    }
  }

  @Override
  public LabelledSlice augment(LabelledSlice slice, Random random) {
    double scale = Math.exp((2 * random.nextDouble() - 1) * Math.log1p(maxChange));
    double cx = (slice.width() - 1) / 2.0;
    double cy = (slice.height() - 1) / 2.0;
    return GeometricWarp.warp(
        slice,
        (x, y, s) -> {
          s[0] = cx + (x - cx) / scale;
          s[1] = cy + (y - cy) / scale;
        });
  }
}
