package io.spineflow.imaging.render;

import io.spineflow.imaging.Image;
import io.spineflow.imaging.ImageGeometry;

/**
 * Cuts 2D slices out of a 3D {@link Image}, either as stored or turned the way radiologists look at
 * them (the array layout of a file says nothing about which way is up).
 */
public final class SliceExtractor {
  private SliceExtractor() {}

  /**
   * Slice {@code index} across array axis {@code axis}, as stored: columns run along the lower
   * remaining array axis, rows along the higher one, row 0 is index 0.
   */
  public static Slice2D extract(Image image, int axis, int index) {
    checked(image, axis, index);
    int[] in = inPlaneAxes(axis);
    return cut(image, axis, index, in[0], false, in[1], false);
  }

  /**
   * Slice {@code index} across array axis {@code axis}, oriented from the direction cosines the way
   * it is conventionally displayed: superior up for sagittal and coronal slices (anterior up for
   * axial ones); anterior on the left of a sagittal slice; the patient's right on the viewer's left
   * of coronal and axial slices. The plane type is that of the patient axis closest to {@code
   * axis}' direction.
   */
  public static Slice2D extractForDisplay(Image image, int axis, int index) {
    ImageGeometry g = checked(image, axis, index);
    int[] in = inPlaneAxes(axis);
    int normal = dominant(g, axis);
    // Physical (LPS) axis shown vertically and horizontally, and which sign points up / right.
    int vertical = normal == 2 ? 1 : 2;
    double upSign = normal == 2 ? -1 : 1; // up = superior (+z), or anterior (-y) for axial
    int horizontal = normal == 0 ? 1 : 0; // right = posterior (+y) for sagittal, else left (+x)
    int rowAxis =
        Math.abs(g.direction(vertical, in[0])) > Math.abs(g.direction(vertical, in[1]))
            ? in[0]
            : in[1];
    int columnAxis = rowAxis == in[0] ? in[1] : in[0];
    boolean flipRows = upSign * g.direction(vertical, rowAxis) > 0;
    boolean flipColumns = g.direction(horizontal, columnAxis) < 0;
    return cut(image, axis, index, columnAxis, flipColumns, rowAxis, flipRows);
  }

  private static Slice2D cut(
      Image image,
      int axis,
      int index,
      int columnAxis,
      boolean flipColumns,
      int rowAxis,
      boolean flipRows) {
    ImageGeometry g = image.geometry();
    int[] size = g.size();
    int[] stride = {1, size[0], size[0] * size[1]};
    int width = size[columnAxis];
    int height = size[rowAxis];
    float[] values = new float[width * height];
    long base = (long) index * stride[axis];
    for (int row = 0; row < height; row++) {
      int r = flipRows ? height - 1 - row : row;
      for (int col = 0; col < width; col++) {
        int c = flipColumns ? width - 1 - col : col;
        values[col + width * row] =
            (float) image.voxel(base + (long) r * stride[rowAxis] + (long) c * stride[columnAxis]);
      }
    }
    double[] spacing = g.spacing();
    return new Slice2D(width, height, values, spacing[columnAxis], spacing[rowAxis]);
  }

  private static ImageGeometry checked(Image image, int axis, int index) {
    ImageGeometry g = image.geometry();
    if (g.dimensions() != 3) {
      throw new IllegalArgumentException("need a 3D image, got " + g.dimensions() + "D");
    }
    if (axis < 0 || axis > 2 || index < 0 || index >= g.size()[axis]) {
      throw new IndexOutOfBoundsException("slice " + index + " of axis " + axis + " in " + g);
    }
    return g;
  }

  private static int[] inPlaneAxes(int axis) {
    return switch (axis) {
      case 0 -> new int[] {1, 2};
      case 1 -> new int[] {0, 2};
      default -> new int[] {0, 1};
    };
  }

  /** The physical axis (0 x, 1 y, 2 z) closest to array axis {@code axis}' direction. */
  private static int dominant(ImageGeometry g, int axis) {
    int best = 0;
    for (int r = 1; r < 3; r++) {
      if (Math.abs(g.direction(r, axis)) > Math.abs(g.direction(best, axis))) {
        best = r;
      }
    }
    return best;
  }
}
