package io.spineflow.imaging.phantom;

import java.util.random.RandomGenerator;

/**
 * Smooth random tissue texture: a sum of plane waves in physical space (a few coarse ones of 12-30
 * mm for slow variations, a few fine ones of 3-7 mm for the mottled look of marrow and bowel), with
 * unit variance. Tissues scale it by their own amplitude. Evaluated on a {@link PatientGrid} with
 * precomputed per-axis phases, so each voxel costs a handful of multiplications instead of cosines.
 */
final class TextureField {
  private static final int COARSE = 12;
  private static final int FINE = 12;

  private final int terms;
  private final double[] weight;
  // Per term: cos and sin of the phase contributed by each index along each canonical axis.
  private final double[][][] cos;
  private final double[][][] sin;

  private TextureField(PatientGrid grid, RandomGenerator random) {
    terms = COARSE + FINE;
    weight = new double[terms];
    cos = new double[terms][3][];
    sin = new double[terms][3][];
    double[] start = grid.position(0, 0, 0);
    for (int m = 0; m < terms; m++) {
      boolean coarse = m < COARSE;
      double wavelength = coarse ? 12 + 18 * random.nextDouble() : 3 + 4 * random.nextDouble();
      // Coarse waves carry 70% of the variance; sqrt(2/n) makes a sum of n cosines unit-variance.
      weight[m] = Math.sqrt((coarse ? 0.7 : 0.3) * 2.0 / (coarse ? COARSE : FINE));
      double[] k = randomUnitVector(random);
      double frequency = 2 * Math.PI / wavelength;
      double phase = 2 * Math.PI * random.nextDouble();
      for (int c = 0; c < 3; c++) {
        phase += frequency * k[c] * start[c];
      }
      for (int a = 0; a < 3; a++) {
        double[] axis = grid.axis(a);
        double step =
            frequency * grid.spacing(a) * (k[0] * axis[0] + k[1] * axis[1] + k[2] * axis[2]);
        int n = grid.count(a);
        cos[m][a] = new double[n];
        sin[m][a] = new double[n];
        for (int i = 0; i < n; i++) {
          // The constant phase rides on the slowest axis so the sum of angles stays exact.
          double angle = i * step + (a == 2 ? phase : 0);
          cos[m][a][i] = StrictMath.cos(angle);
          sin[m][a][i] = StrictMath.sin(angle);
        }
      }
    }
  }

  static TextureField random(PatientGrid grid, RandomGenerator random) {
    return new TextureField(grid, random);
  }

  /**
   * Fills {@code out[i]} with the texture of canonical voxels (i, j, k), i over the left-right row.
   */
  void fillRow(int j, int k, double[] out) {
    java.util.Arrays.fill(out, 0);
    for (int m = 0; m < terms; m++) {
      // cos/sin of (phase_j + phase_k) by the angle-sum identities.
      double cj = cos[m][1][j];
      double sj = sin[m][1][j];
      double ck = cos[m][2][k];
      double sk = sin[m][2][k];
      double cjk = cj * ck - sj * sk;
      double sjk = sj * ck + cj * sk;
      double w = weight[m];
      double[] ci = cos[m][0];
      double[] si = sin[m][0];
      for (int i = 0; i < out.length; i++) {
        out[i] += w * (ci[i] * cjk - si[i] * sjk);
      }
    }
  }

  private static double[] randomUnitVector(RandomGenerator random) {
    double x = random.nextGaussian();
    double y = random.nextGaussian();
    double z = random.nextGaussian();
    double norm = Math.sqrt(x * x + y * y + z * z);
    if (norm < 1e-9) {
      return new double[] {0, 0, 1};
    }
    return new double[] {x / norm, y / norm, z / norm};
  }
}
