package io.spineflow.model.augment;

import io.spineflow.imaging.labels.SliceLabelScope;
import io.spineflow.model.LabelledSlice;

/**
 * Resamples a slice through a coordinate map, the one way every geometric augmentation moves an
 * image and its label together: pixels bilinearly (0 outside the image, as preprocess pads), labels
 * by nearest neighbour with the labelled extent written into them first, so that rows outside the
 * extent, and everything that comes from outside the image, become {@link SliceLabelScope#UNKNOWN}.
 * The result's scope has no row limits: the extent now lives in the label.
 */
final class GeometricWarp {
  /** Where output pixel (x, y) samples the source; {@code source} receives (sx, sy). */
  @FunctionalInterface
  interface CoordinateMap {
    void source(double x, double y, double[] source);
  }

  private GeometricWarp() {}

  static LabelledSlice warp(LabelledSlice slice, CoordinateMap map) {
    int w = slice.width();
    int h = slice.height();
    float[] pixels = slice.pixels();
    byte[] labels = slice.scope().withExtentInLabel(slice.labels(), w, h);
    float[] outPixels = new float[pixels.length];
    byte[] outLabels = new byte[labels.length];
    double[] s = new double[2];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        map.source(x, y, s);
        int i = y * w + x;
        outPixels[i] = bilinear(pixels, w, h, s[0], s[1]);
        int nx = (int) Math.round(s[0]);
        int ny = (int) Math.round(s[1]);
        boolean inside = nx >= 0 && nx < w && ny >= 0 && ny < h;
        outLabels[i] = inside ? labels[ny * w + nx] : SliceLabelScope.UNKNOWN;
      }
    }
    return new LabelledSlice(outPixels, outLabels, w, h, slice.scope().withoutRowLimits());
  }

  /** Bilinear sample at (x, y); 0 more than half a pixel outside, edge values just inside it. */
  static float bilinear(float[] pixels, int w, int h, double x, double y) {
    if (!(x >= -0.5 && x <= w - 0.5 && y >= -0.5 && y <= h - 0.5)) {
      return 0f;
    }
    double cx = Math.min(Math.max(x, 0), w - 1);
    double cy = Math.min(Math.max(y, 0), h - 1);
    int x0 = Math.min((int) cx, w - 1);
    int y0 = Math.min((int) cy, h - 1);
    int x1 = Math.min(x0 + 1, w - 1);
    int y1 = Math.min(y0 + 1, h - 1);
    double fx = cx - x0;
    double fy = cy - y0;
    double top = pixels[y0 * w + x0] * (1 - fx) + pixels[y0 * w + x1] * fx;
    double bottom = pixels[y1 * w + x0] * (1 - fx) + pixels[y1 * w + x1] * fx;
    return (float) (top * (1 - fy) + bottom * fy);
  }
}
