package io.spineflow.imaging.render;

import java.util.Arrays;

/**
 * A 2D image of floats, row-major with row 0 at the top, and the physical size of its pixels (so a
 * renderer can keep the aspect ratio of non-square pixels, e.g. a T1 slice across the thick axis).
 *
 * @param width pixels per row
 * @param height rows
 * @param values {@code width * height} values, {@code values[x + width * y]}; copied
 * @param pixelWidthMm physical width of a pixel
 * @param pixelHeightMm physical height of a pixel
 */
public record Slice2D(
    int width, int height, float[] values, double pixelWidthMm, double pixelHeightMm) {

  public Slice2D {
    if (width < 1 || height < 1 || values.length != (long) width * height) {
      throw new IllegalArgumentException(
          values.length + " values for a " + width + "x" + height + " slice");
    }
    if (!(pixelWidthMm > 0 && pixelHeightMm > 0)) {
      throw new IllegalArgumentException("pixel size must be positive");
    }
    values = values.clone();
  }

  /** A slice with square 1 mm pixels. */
  public static Slice2D of(int width, int height, float[] values) {
    return new Slice2D(width, height, values, 1, 1);
  }

  /** The value at column {@code x}, row {@code y}. */
  public float value(int x, int y) {
    return values[x + width * y];
  }

  /** The values (a copy). */
  @Override
  public float[] values() {
    return values.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Slice2D s
        && width == s.width
        && height == s.height
        && pixelWidthMm == s.pixelWidthMm
        && pixelHeightMm == s.pixelHeightMm
        && Arrays.equals(values, s.values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values) * 31 + width;
  }

  @Override
  public String toString() {
    return "Slice2D[" + width + "x" + height + ", " + pixelWidthMm + "x" + pixelHeightMm + " mm]";
  }
}
