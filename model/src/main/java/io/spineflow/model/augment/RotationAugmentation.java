package io.spineflow.model.augment;

import io.spineflow.model.LabelledSlice;
import java.util.Random;

/**
 * A small in-plane rotation about the slice centre, uniform in ±{@code maxDegrees}: patients lie
 * with some lordosis and tilt. A rotation keeps handedness, so anterior stays anterior.
 *
 * @param maxDegrees the largest rotation either way, 0..45
 */
public record RotationAugmentation(double maxDegrees) implements SliceAugmentation {
  /** Checks the range. */
  public RotationAugmentation {
    if (!(maxDegrees >= 0 && maxDegrees <= 45)) {
      throw new IllegalArgumentException("rotation must be 0..45 degrees: " + maxDegrees);
    }
  }

  @Override
  public LabelledSlice augment(LabelledSlice slice, Random random) {
    double angle = Math.toRadians((2 * random.nextDouble() - 1) * maxDegrees);
    double cos = Math.cos(angle);
    double sin = Math.sin(angle);
    double cx = (slice.width() - 1) / 2.0;
    double cy = (slice.height() - 1) / 2.0;
    return GeometricWarp.warp(
        slice,
        (x, y, s) -> {
          s[0] = cx + cos * (x - cx) + sin * (y - cy);
          s[1] = cy - sin * (x - cx) + cos * (y - cy);
        });
  }
}
