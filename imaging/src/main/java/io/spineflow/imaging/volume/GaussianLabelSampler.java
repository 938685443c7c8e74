package io.spineflow.imaging.volume;

import io.spineflow.imaging.GaussianSmoothing;

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
  private final double[][] maps;

  private GaussianLabelSampler(SliceMask mask, int margin, double[][] maps) {
    this.mask = mask;
    this.margin = margin;
    this.width = mask.width() + 2 * margin;
    this.height = mask.height() + 2 * margin;
    this.maps = maps;
  }

  static GaussianLabelSampler of(SliceMask mask) {
    double[] kernel = GaussianSmoothing.kernel(SIGMA_PIXELS);
    int margin = kernel.length / 2 + 1;
    int w = mask.width() + 2 * margin;
    int h = mask.height() + 2 * margin;
    double[][] maps = new double[SliceMask.CLASSES][];
    for (int cls = 0; cls < SliceMask.CLASSES; cls++) {
      double[] indicator = new double[w * h];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          indicator[y * w + x] = Interpolation.nearest(mask, x - margin, y - margin) == cls ? 1 : 0;
        }
      }
      GaussianSmoothing.smooth2d(indicator, w, h, kernel);
      maps[cls] = indicator;
    }
    return new GaussianLabelSampler(mask, margin, maps);
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
      double[] m = maps[cls];
      int i = y0 * width + x0;
      response[cls] =
          (1 - wy) * ((1 - wx) * m[i] + wx * m[i + 1])
              + wy * ((1 - wx) * m[i + width] + wx * m[i + width + 1]);
    }
    return Interpolation.argmax(response, Interpolation.nearest(mask, column, row));
  }
}
