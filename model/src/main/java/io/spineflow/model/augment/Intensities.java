package io.spineflow.model.augment;

import io.spineflow.model.LabelledSlice;

/** What every intensity augmentation shares: new pixels in [0, 1], the label untouched. */
final class Intensities {
  private Intensities() {}

  /** {@code slice} with {@code pixels} clipped to [0, 1]; labels and scope are shared. */
  static LabelledSlice withPixels(LabelledSlice slice, float[] pixels) {
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = Math.min(1f, Math.max(0f, pixels[i]));
    }
    return new LabelledSlice(pixels, slice.labels(), slice.width(), slice.height(), slice.scope());
  }

  /** A value uniform in [-1, 1]. */
  static double symmetric(java.util.Random random) {
    return 2 * random.nextDouble() - 1;
  }

  /** One separable Gaussian blur pass with {@code sigma} pixels, edges clamped. */
  static float[] gaussianBlur(float[] pixels, int w, int h, double sigma) {
    if (sigma <= 0) {
      return pixels.clone();
    }
    int radius = (int) Math.ceil(3 * sigma);
    double[] kernel = new double[2 * radius + 1];
    double sum = 0;
    for (int k = -radius; k <= radius; k++) {
      kernel[k + radius] = Math.exp(-k * k / (2 * sigma * sigma));
      sum += kernel[k + radius];
    }
    for (int k = 0; k < kernel.length; k++) {
      kernel[k] /= sum;
    }
    float[] rows = new float[pixels.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double v = 0;
        for (int k = -radius; k <= radius; k++) {
          v += kernel[k + radius] * pixels[y * w + Math.min(w - 1, Math.max(0, x + k))];
        }
        rows[y * w + x] = (float) v;
      }
    }
    float[] out = new float[pixels.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double v = 0;
        for (int k = -radius; k <= radius; k++) {
          v += kernel[k + radius] * rows[Math.min(h - 1, Math.max(0, y + k)) * w + x];
        }
        out[y * w + x] = (float) v;
      }
    }
    return out;
  }
}
