package io.spineflow.imaging.metaimage;

import io.spineflow.imaging.ImageGeometry;

/**
 * The {@code AnatomicalOrientation} code ITK writes for a direction matrix: for each array axis,
 * the patient-space axis its direction is closest to, named where it comes FROM in ITK's convention
 * (identity in LPS space is {@code RAI}). Derived as ITK's {@code
 * SpatialOrientationAdapter::FromDirectionCosines}; only 3-D gets a code, as in ITK, and a matrix
 * with two axes along the same anatomical axis gets {@code ???}.
 */
final class AnatomicalOrientation {
  // ITK ignores components below this cosine when picking the dominant axis.
  private static final double OBLIQUITY_THRESHOLD = 0.001;
  private static final char[][] LETTERS = {{'R', 'L'}, {'A', 'P'}, {'I', 'S'}};

  private AnatomicalOrientation() {}

  static String of(ImageGeometry geometry) {
    int n = geometry.dimensions();
    if (n != 3) {
      return "?".repeat(n);
    }
    char[] code = new char[3];
    boolean[] used = new boolean[3];
    for (int axis = 0; axis < 3; axis++) {
      int dominant =
          dominantRow(
              geometry.direction(0, axis),
              geometry.direction(1, axis),
              geometry.direction(2, axis));
      if (used[dominant]) {
        return "???";
      }
      used[dominant] = true;
      boolean negative = geometry.direction(dominant, axis) < 0;
      code[axis] = LETTERS[dominant][negative ? 1 : 0];
    }
    return new String(code);
  }

  private static int dominantRow(double x, double y, double z) {
    double ax = Math.abs(x);
    double ay = Math.abs(y);
    double az = Math.abs(z);
    if (ax > OBLIQUITY_THRESHOLD && ax > ay && ax > az) {
      return 0;
    }
    if (ay > OBLIQUITY_THRESHOLD && ay > ax && ay > az) {
      return 1;
    }
    if (az > OBLIQUITY_THRESHOLD && az > ax && az > ay) {
      return 2;
    }
    return 0; // ITK: "they must all be equal, so just say x"
  }
}
