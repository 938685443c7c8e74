package io.spineflow.imaging;

/**
 * Separable Gaussian smoothing, written once for the phantoms' point-spread blur and for label
 * interpolation: a normalised kernel over ±3σ and a convolution that repeats the edge values beyond
 * the ends of a line (so a border neither darkens nor brightens).
 */
public final class GaussianSmoothing {
  private GaussianSmoothing() {}

  /** A normalised Gaussian over ±3σ, at least three taps. */
  public static double[] kernel(double sigma) {
    int radius = Math.max(1, (int) Math.ceil(3 * sigma));
    double[] kernel = new double[2 * radius + 1];
    double sum = 0;
    for (int d = -radius; d <= radius; d++) {
      kernel[d + radius] = StrictMath.exp(-0.5 * d * d / (sigma * sigma));
      sum += kernel[d + radius];
    }
    for (int d = 0; d < kernel.length; d++) {
      kernel[d] /= sum;
    }
    return kernel;
  }

  /** Convolves {@code line} with {@code kernel} in place, repeating the edge values. */
  public static void convolve(double[] line, double[] kernel) {
    int radius = kernel.length / 2;
    double[] copy = line.clone();
    for (int q = 0; q < line.length; q++) {
      double sum = 0;
      for (int d = -radius; d <= radius; d++) {
        sum += kernel[d + radius] * copy[Math.max(0, Math.min(line.length - 1, q + d))];
      }
      line[q] = sum;
    }
  }

  /** Smooths a row-major {@code width}×{@code height} image in place, along x then along y. */
  public static void smooth2d(double[] image, int width, int height, double[] kernel) {
    double[] row = new double[width];
    for (int y = 0; y < height; y++) {
      System.arraycopy(image, y * width, row, 0, width);
      convolve(row, kernel);
      System.arraycopy(row, 0, image, y * width, width);
    }
    double[] column = new double[height];
    for (int x = 0; x < width; x++) {
      for (int y = 0; y < height; y++) {
        column[y] = image[y * width + x];
      }
      convolve(column, kernel);
      for (int y = 0; y < height; y++) {
        image[y * width + x] = column[y];
      }
    }
  }
}
