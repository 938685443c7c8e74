package io.spineflow.imaging.dicom;

/**
 * The Recommended Display CIELab Value (0062,000D) of a segment, by class: viewers colour segments
 * with it. sRGB colours (vertebrae bone, canal yellow, discs blue, as 3D Slicer's anatomy colours
 * roughly go) converted to CIELab (D65) and scaled as PS3.3 C.10.7.1.1 says: L* 0–100 to 0–65535,
 * a* and b* -128–127 to 0–65535.
 */
final class SegmentColours {
  private SegmentColours() {}

  static int[] cieLab(int spiderValue) {
    LabelClassColour c =
        spiderValue == 100
            ? new LabelClassColour(244, 214, 49)
            : spiderValue > 200
                ? new LabelClassColour(111, 184, 210)
                : new LabelClassColour(241, 214, 145);
    return c.scaledLab();
  }

  private record LabelClassColour(int r, int g, int b) {
    int[] scaledLab() {
      double rl = linear(r);
      double gl = linear(g);
      double bl = linear(b);
      double x = (0.4124 * rl + 0.3576 * gl + 0.1805 * bl) / 0.95047;
      double y = 0.2126 * rl + 0.7152 * gl + 0.0722 * bl;
      double z = (0.0193 * rl + 0.1192 * gl + 0.9505 * bl) / 1.08883;
      double fx = f(x);
      double fy = f(y);
      double fz = f(z);
      double l = 116 * fy - 16;
      double a = 500 * (fx - fy);
      double bb = 200 * (fy - fz);
      return new int[] {scale(l / 100), scale((a + 128) / 255), scale((bb + 128) / 255)};
    }

    private static double linear(int channel) {
      double c = channel / 255.0;
      return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }

    private static double f(double t) {
      return t > 216.0 / 24389 ? Math.cbrt(t) : (24389.0 / 27 * t + 16) / 116;
    }

    private static int scale(double unit) {
      return (int) Math.round(Math.max(0, Math.min(1, unit)) * 65535);
    }
  }
}
