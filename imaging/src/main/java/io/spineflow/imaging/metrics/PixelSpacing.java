package io.spineflow.imaging.metrics;

/**
 * The physical size of one pixel step of a 2D slice, in millimetres. May be anisotropic.
 *
 * @param columnMm distance between the centres of horizontally adjacent pixels (one column to the
 *     next, along x; MetaImage {@code ElementSpacing[0]} of the slice)
 * @param rowMm distance between the centres of vertically adjacent pixels (one row to the next,
 *     along y)
 */
public record PixelSpacing(double columnMm, double rowMm) {

  public PixelSpacing {
    requirePositive("columnMm", columnMm);
    requirePositive("rowMm", rowMm);
  }

  /** The same spacing in both directions. */
  public static PixelSpacing isotropic(double mm) {
    return new PixelSpacing(mm, mm);
  }

  private static void requirePositive(String name, double value) {
    if (!(value > 0 && Double.isFinite(value))) {
      throw new IllegalArgumentException(name + " must be positive and finite: " + value);
    }
  }
}
