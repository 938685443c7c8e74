package io.spineflow.imaging.phantom;

import java.util.random.RandomGenerator;

/**
 * A smooth multiplicative intensity inhomogeneity: the exponential of a random second-order
 * polynomial over the field of view, plus the fall-off away from the posterior spine coil (images
 * are brighter at the patient's back). Coordinates are the field of view's own, each in [-1, 1]
 * (left-right, anterior-posterior, inferior-superior), so the field belongs to the anatomy, not to
 * the array layout.
 *
 * @param coefficients of u, v, w, u², v², w², uv, uw, vw in the exponent
 */
record BiasField(double[] coefficients) {

  /**
   * A random field; {@code strong} (the distribution shift) makes it several times steeper, as a
   * low-field scanner with a short coil would.
   */
  static BiasField random(RandomGenerator random, boolean strong) {
    double scale = strong ? 2.5 : 1;
    double[] c = new double[9];
    for (int i = 0; i < 3; i++) {
      c[i] = scale * (random.nextDouble() * 0.24 - 0.12);
    }
    for (int i = 3; i < 9; i++) {
      c[i] = scale * (random.nextDouble() * 0.16 - 0.08);
    }
    double coil = strong ? 0.45 + 0.25 * random.nextDouble() : 0.1 + 0.15 * random.nextDouble();
    c[1] += coil;
    if (strong) {
      c[5] -= 0.3; // the coil covers less of the spine: darker top and bottom
    }
    return new BiasField(c);
  }

  /**
   * A randomised field: anything from none to a steep one (the polynomial 0-3 times the default
   * strength, a coil fall-off from none to strong), so that intensity is no clue to the tissue.
   */
  static BiasField randomised(RandomGenerator random) {
    double scale = 3 * random.nextDouble();
    double[] c = new double[9];
    for (int i = 0; i < 3; i++) {
      c[i] = scale * (random.nextDouble() * 0.24 - 0.12);
    }
    for (int i = 3; i < 9; i++) {
      c[i] = scale * (random.nextDouble() * 0.16 - 0.08);
    }
    c[1] += 0.6 * random.nextDouble();
    return new BiasField(c);
  }

  /** The gain at normalised field-of-view coordinates (each in [-1, 1]). */
  double at(double u, double v, double w) {
    double[] c = coefficients;
    return StrictMath.exp(
        c[0] * u
            + c[1] * v
            + c[2] * w
            + c[3] * u * u
            + c[4] * v * v
            + c[5] * w * w
            + c[6] * u * v
            + c[7] * u * w
            + c[8] * v * w);
  }
}
