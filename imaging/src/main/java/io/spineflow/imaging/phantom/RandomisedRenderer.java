package io.spineflow.imaging.phantom;

import io.spineflow.imaging.GaussianSmoothing;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Renders a randomised study onto its grid, in the spirit of SynthSeg (Billot et al. 2023): a model
 * trained on label maps rendered with random contrasts and random acquisitions learns shapes, not
 * grey values. In order:
 *
 * <ol>
 *   <li>partial volume: each voxel averages sub-samples about 1 mm apart across the slice and, for
 *       in-plane spacings over 0.8 mm, 2x2 in-plane, each drawn from its tissue's random mean,
 *       texture and Gaussian spread ({@link ContrastModel#randomised}); the label is read at the
 *       voxel centre;
 *   <li>motion, half of the studies: each sagittal slice is acquired with the patient shifted by a
 *       small random in-plane offset (image and label move together: the label marks what the slice
 *       shows);
 *   <li>resolution: a Gaussian point-spread blur of 0.3-1.5 voxels per in-plane axis, separately
 *       (an acquisition coarser than the stored matrix, anisotropic in-plane);
 *   <li>ghosting, half of the studies: attenuated copies of the image shifted along the
 *       phase-encoding axis (anterior-posterior or superior-inferior), wrapped around, as periodic
 *       motion produces; labels are unaffected;
 *   <li>a random gamma (0.55-1.8) on the noise-free image;
 *   <li>a random bias field ({@link BiasField#randomised}) and Rician noise of a random level.
 * </ol>
 *
 * <p>Every random value comes from the {@link SplittableRandom} given, and each axial plane uses
 * its own seeded stream, so the result does not depend on threading.
 */
final class RandomisedRenderer {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private final SpineAnatomy anatomy;
  private final PatientGrid grid;
  private final ContrastModel contrast;
  private final TextureField texture;
  private final int inPlaneSamples;
  private final double[][] jitter;
  private final double[] blurSigma;
  private final int ghostAxis;
  private final double ghostAmplitude;
  private final double ghostShift;
  private final double gamma;
  private final BiasField bias;
  private final long sampleSeed;
  private final long noiseSeed;

  private RandomisedRenderer(SpineAnatomy anatomy, PatientGrid grid, SplittableRandom random) {
    this.anatomy = anatomy;
    this.grid = grid;
    contrast = ContrastModel.randomised(random.split());
    texture = TextureField.random(grid, random.split());
    inPlaneSamples = grid.spacing(1) > 0.8 ? 2 : 1;
    int slices = grid.count(0);
    jitter = new double[slices][3];
    if (random.nextBoolean()) {
      double sd = uniform(random, 0.2, 1.5);
      for (double[] offset : jitter) {
        double ap = sd * random.nextGaussian();
        double si = sd * random.nextGaussian();
        double[] p = grid.axis(1);
        double[] s = grid.axis(2);
        for (int c = 0; c < 3; c++) {
          offset[c] = ap * p[c] + si * s[c];
        }
      }
    }
    blurSigma = new double[] {0, uniform(random, 0.3, 1.5), uniform(random, 0.3, 1.5)};
    boolean ghosts = random.nextBoolean();
    ghostAxis = random.nextBoolean() ? 1 : 2;
    ghostAmplitude = ghosts ? uniform(random, 0.03, 0.2) : 0;
    ghostShift = uniform(random, 0.15, 0.5);
    gamma = StrictMath.exp(uniform(random, -0.6, 0.6));
    bias = BiasField.randomised(random.split());
    sampleSeed = random.nextLong();
    noiseSeed = random.nextLong();
  }

  /**
   * Renders the anatomy onto the grid into {@code signal} and {@code labels} (canonical order,
   * left-right fastest; provisional labels as {@link SpineAnatomy#classify} gives them).
   */
  static void render(
      SpineAnatomy anatomy,
      PatientGrid grid,
      SplittableRandom random,
      double[] signal,
      int[] labels) {
    new RandomisedRenderer(anatomy, grid, random).render(signal, labels);
  }

  private void render(double[] signal, int[] labels) {
    int nx = grid.count(0);
    int ny = grid.count(1);
    int nz = grid.count(2);
    parallelPlanes(k -> samplePlane(k, signal, labels));
    for (int axis = 1; axis <= 2; axis++) {
      double[] kernel = GaussianSmoothing.kernel(blurSigma[axis]);
      forEachLine(signal, nx, ny, nz, axis, line -> GaussianSmoothing.convolve(line, kernel));
    }
    if (ghostAmplitude > 0) {
      int shift = Math.max(1, (int) Math.round(ghostShift * grid.count(ghostAxis)));
      forEachLine(signal, nx, ny, nz, ghostAxis, line -> ghost(line, shift, ghostAmplitude));
    }
    double max = 1e-9;
    for (double value : signal) {
      max = Math.max(max, value);
    }
    double peak = max;
    parallelPlanes(k -> biasGammaAndNoise(k, peak, signal));
  }

  private void parallelPlanes(IntConsumer plane) {
    IntStream.range(0, grid.count(2)).parallel().forEach(plane);
  }

  private void samplePlane(int k, double[] signal, int[] labels) {
    int nx = grid.count(0);
    int ny = grid.count(1);
    SplittableRandom random = new SplittableRandom(sampleSeed + GOLDEN * (k + 1));
    double thickness = grid.spacing(0);
    int through = 2 * (int) Math.floor(thickness / 2.0) + 1;
    int m = inPlaneSamples;
    // Offsets of all sub-samples of a voxel: through-plane x in-plane (m x m).
    double[][] offsets = new double[through * m * m][];
    int o = 0;
    for (int s = 0; s < through; s++) {
      double fs = ((s + 0.5) / through - 0.5) * thickness;
      for (int a = 0; a < m; a++) {
        double fa = ((a + 0.5) / m - 0.5) * grid.spacing(1);
        for (int b = 0; b < m; b++) {
          double fb = ((b + 0.5) / m - 0.5) * grid.spacing(2);
          offsets[o++] = combine(fs, grid.axis(0), fa, grid.axis(1), fb, grid.axis(2));
        }
      }
    }
    double[] stepX = grid.axis(0);
    for (int c = 0; c < 3; c++) {
      stepX[c] *= grid.spacing(0);
    }
    TissueSample sample = new TissueSample();
    double[] textureRow = new double[nx];
    for (int j = 0; j < ny; j++) {
      texture.fillRow(j, k, textureRow);
      double[] rowStart = grid.position(0, j, k);
      int index = nx * (j + ny * k);
      for (int i = 0; i < nx; i++, index++) {
        double x = rowStart[0] + i * stepX[0] + jitter[i][0];
        double y = rowStart[1] + i * stepX[1] + jitter[i][1];
        double z = rowStart[2] + i * stepX[2] + jitter[i][2];
        double sum = 0;
        for (double[] d : offsets) {
          anatomy.classify(x + d[0], y + d[1], z + d[2], sample);
          Tissue tissue = sample.tissue;
          double value = contrast.intensity(tissue, sample.mix);
          sum += value * (1 + contrast.textureAmplitude(tissue) * textureRow[i]);
          sum += contrast.spread(tissue) * random.nextGaussian();
        }
        signal[index] = Math.max(0, sum / offsets.length);
        labels[index] = anatomy.classify(x, y, z, sample).label;
      }
    }
  }

  private void biasGammaAndNoise(int k, double peak, double[] signal) {
    int nx = grid.count(0);
    int ny = grid.count(1);
    int nz = grid.count(2);
    RicianNoise noise =
        new RicianNoise(contrast.noiseSigma(), new SplittableRandom(noiseSeed + GOLDEN * (k + 1)));
    double w = normalised(k, nz);
    int index = nx * ny * k;
    for (int j = 0; j < ny; j++) {
      double v = normalised(j, ny);
      for (int i = 0; i < nx; i++, index++) {
        double curved = peak * StrictMath.pow(signal[index] / peak, gamma);
        signal[index] = noise.corrupt(curved * bias.at(normalised(i, nx), v, w));
      }
    }
  }

  /** Applies {@code transform} to every line of the volume along canonical {@code axis}. */
  private static void forEachLine(
      double[] signal,
      int nx,
      int ny,
      int nz,
      int axis,
      java.util.function.Consumer<double[]> transform) {
    int stride = axis == 1 ? nx : nx * ny;
    int length = axis == 1 ? ny : nz;
    int lines = nx * ny * nz / length;
    IntStream.range(0, lines)
        .parallel()
        .forEach(
            line -> {
              // Line index -> the first voxel of the line along the axis with this stride.
              int start = axis == 1 ? (line % nx) + (line / nx) * nx * ny : line;
              double[] values = new double[length];
              for (int q = 0; q < length; q++) {
                values[q] = signal[start + q * stride];
              }
              transform.accept(values);
              for (int q = 0; q < length; q++) {
                signal[start + q * stride] = values[q];
              }
            });
  }

  /** Adds copies shifted by +-{@code shift} voxels (wrapped), each {@code amplitude}/2 strong. */
  private static void ghost(double[] line, int shift, double amplitude) {
    double[] copy = line.clone();
    int n = line.length;
    for (int q = 0; q < n; q++) {
      double ghosts = copy[Math.floorMod(q + shift, n)] + copy[Math.floorMod(q - shift, n)];
      line[q] = copy[q] + 0.5 * amplitude * ghosts;
    }
  }

  private static double[] combine(
      double fa, double[] a, double fb, double[] b, double fc, double[] c) {
    return new double[] {
      fa * a[0] + fb * b[0] + fc * c[0],
      fa * a[1] + fb * b[1] + fc * c[1],
      fa * a[2] + fb * b[2] + fc * c[2]
    };
  }

  private static double normalised(int index, int count) {
    return (2.0 * index + 1) / count - 1;
  }

  private static double uniform(SplittableRandom random, double low, double high) {
    return low + (high - low) * random.nextDouble();
  }
}
