package io.spineflow.imaging.volume;

/**
 * {@link Interpolation#GAUSSIAN} for one mask: per-class indicator maps smoothed once, on a grid
 * with a background margin (off the mask is background, as preprocess pads), then sampled
 * bilinearly per voxel.
 */
final class GaussianLabelSampler implements Interpolation.Sampler {
  /**
   * Standard deviation of the smoothing, in mask pixels. Why 0.6: on the full-resolution round
   * trips (imaging/README.md, "Study label volumes") 0.6 raised every class of all 10 phantoms
   * above {@code LINEAR}; 0.9 helped discs a little more but cost canal and half-resolution
   * studies, 1.2 lost on every class (a wider kernel rounds off corners and thin ends).
   */
  static final double SIGMA_PIXELS = 0.6;

  private final SliceMask mask;
  private final int margin;
  private final int width;
  private final int height;
  private final float[][] maps;

  private GaussianLabelSampler(SliceMask mask, int margin, float[][] maps) {
    this.mask = mask;
    this.margin = margin;
    this.width = mask.width() + 2 * margin;
    this.height = mask.height() + 2 * margin;
    this.maps = maps;
  }

  static GaussianLabelSampler of(SliceMask mask) {
    float[] kernel = kernel(SIGMA_PIXELS);
    int margin = kernel.length / 2 + 1;
    int w = mask.width() + 2 * margin;
    int h = mask.height() + 2 * margin;
    float[][] maps = new float[SliceMask.CLASSES][];
    for (int cls = 0; cls < SliceMask.CLASSES; cls++) {
      float[] indicator = new float[w * h];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          indicator[y * w + x] = Interpolation.nearest(mask, x - margin, y - margin) == cls ? 1 : 0;
        }
      }
      maps[cls] = blurRows(blurColumns(indicator, w, h, kernel), w, h, kernel);
    }
    return new GaussianLabelSampler(mask, margin, maps);
  }

  /** A normalised Gaussian over ±3σ. */
  private static float[] kernel(double sigma) {
    int radius = (int) Math.ceil(3 * sigma);
    float[] kernel = new float[2 * radius + 1];
    double sum = 0;
    for (int i = -radius; i <= radius; i++) {
      sum += Math.exp(-0.5 * i * i / (sigma * sigma));
    }
    for (int i = -radius; i <= radius; i++) {
      kernel[i + radius] = (float) (Math.exp(-0.5 * i * i / (sigma * sigma)) / sum);
    }
    return kernel;
  }

  /** Smooths along x (within each row); the edge value repeats beyond the margin. */
  private static float[] blurColumns(float[] in, int w, int h, float[] kernel) {
    int radius = kernel.length / 2;
    float[] out = new float[in.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        float acc = 0;
        for (int k = -radius; k <= radius; k++) {
          acc += kernel[k + radius] * in[y * w + Math.max(0, Math.min(w - 1, x + k))];
        }
        out[y * w + x] = acc;
      }
    }
    return out;
  }

  /** Smooths along y (within each column). */
  private static float[] blurRows(float[] in, int w, int h, float[] kernel) {
    int radius = kernel.length / 2;
    float[] out = new float[in.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        float acc = 0;
        for (int k = -radius; k <= radius; k++) {
          acc += kernel[k + radius] * in[Math.max(0, Math.min(h - 1, y + k)) * w + x];
        }
        out[y * w + x] = acc;
      }
    }
    return out;
  }

  @Override
  public int classAt(double column, double row) {
    double x = column + margin;
    double y = row + margin;
    int x0 = (int) Math.floor(x);
    int y0 = (int) Math.floor(y);
    if (x0 < 0 || y0 < 0 || x0 + 1 >= width || y0 + 1 >= height) {
      return 0; // far off the mask: background
    }
    double wx = x - x0;
    double wy = y - y0;
    double[] response = new double[maps.length];
    for (int cls = 0; cls < maps.length; cls++) {
      float[] m = maps[cls];
      int i = y0 * width + x0;
      response[cls] =
          (1 - wy) * ((1 - wx) * m[i] + wx * m[i + 1])
              + wy * ((1 - wx) * m[i + width] + wx * m[i + width + 1]);
    }
    return Interpolation.argmax(response, Interpolation.nearest(mask, column, row));
  }
}
