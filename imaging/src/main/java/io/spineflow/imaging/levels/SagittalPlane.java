package io.spineflow.imaging.levels;

import io.spineflow.imaging.Image;
import io.spineflow.imaging.ImageGeometry;

/**
 * One sagittal slice of a 3D label volume, as structures, with an in-plane millimetre frame: for
 * pixel (i, j) along the slice's two array axes, {@code sup} runs towards superior (LPS +z
 * projected into the plane) and {@code post} towards posterior (perpendicular to it in the plane,
 * the side of LPS +y). The frame is a rotation (or reflection) of the pixel grid scaled by its
 * spacing, so distances in it are true millimetres in the plane, whatever the spacing and the
 * direction matrix (assumed orthonormal, as ITK writes it).
 */
final class SagittalPlane {
  final int sagittalAxis;
  final int slice;
  final int axisA;
  final int axisB;
  final int width;
  final int height;
  final double spacingA;
  final double spacingB;

  /** Cosine between the slice normal and the left-right axis: 1 for a true sagittal slice. */
  final double sagittalCosine;

  final int[] size;
  private final Structure[] structures;
  // In-plane unit vectors of array axes A and B in the (sup, post) frame.
  private final double[] unitA;
  private final double[] unitB;

  private SagittalPlane(Image labels, LabelScheme scheme, int sagittalAxis, int slice) {
    ImageGeometry g = labels.geometry();
    this.size = g.size();
    this.sagittalAxis = sagittalAxis;
    this.slice = slice;
    this.axisA = sagittalAxis == 0 ? 1 : 0;
    this.axisB = sagittalAxis == 2 ? 1 : 2;
    this.width = size[axisA];
    this.height = size[axisB];
    this.spacingA = g.spacing()[axisA];
    this.spacingB = g.spacing()[axisB];
    this.sagittalCosine = Math.abs(g.direction(0, sagittalAxis));
    double[][] frame = frame(g);
    this.unitA = frame[0];
    this.unitB = frame[1];
    this.structures = new Structure[width * height];
    for (int j = 0; j < height; j++) {
      for (int i = 0; i < width; i++) {
        structures[i + width * j] = scheme.structureOf(labels.voxel(volumeIndex(i, j)));
      }
    }
  }

  /**
   * The slice of {@code labels} across its most left-right array axis at {@code slice}, or, when
   * {@code slice} is negative, at the centroid of the canal (of all labelled voxels when there is
   * no canal): the spine's midline.
   */
  static SagittalPlane of(Image labels, LabelScheme scheme, int slice) {
    ImageGeometry g = labels.geometry();
    if (g.dimensions() != 3) {
      throw new IllegalArgumentException(
          "labels must be a 3D volume (a single sagittal slice is a volume one voxel thick): "
              + g.dimensions()
              + " dimensions");
    }
    int axis = 0;
    for (int c = 1; c < 3; c++) {
      if (Math.abs(g.direction(0, c)) > Math.abs(g.direction(0, axis))) {
        axis = c;
      }
    }
    int count = g.size()[axis];
    int chosen = slice >= 0 ? slice : midline(labels, scheme, axis);
    if (chosen >= count) {
      throw new IllegalArgumentException(
          "slice " + chosen + " outside the " + count + " sagittal slices");
    }
    return new SagittalPlane(labels, scheme, axis, chosen);
  }

  private static int midline(Image labels, LabelScheme scheme, int axis) {
    int[] size = labels.geometry().size();
    double canalSum = 0;
    long canalCount = 0;
    double anySum = 0;
    long anyCount = 0;
    long index = 0;
    for (int z = 0; z < size[2]; z++) {
      for (int y = 0; y < size[1]; y++) {
        for (int x = 0; x < size[0]; x++, index++) {
          Structure s = scheme.structureOf(labels.voxel(index));
          if (s == Structure.NONE) {
            continue;
          }
          int position = axis == 0 ? x : axis == 1 ? y : z;
          anySum += position;
          anyCount++;
          if (s == Structure.CANAL) {
            canalSum += position;
            canalCount++;
          }
        }
      }
    }
    if (canalCount > 0) {
      return (int) Math.round(canalSum / canalCount);
    }
    return anyCount > 0 ? (int) Math.round(anySum / anyCount) : size[axis] / 2;
  }

  /** Unit vectors of axes A and B in the (sup, post) frame. */
  private double[][] frame(ImageGeometry g) {
    double[] a = column(g, axisA);
    double[] b = column(g, axisB);
    // Gram-Schmidt: b made orthogonal to a, in case the matrix is not exactly orthonormal.
    double ab = dot(a, b);
    b = normalised(new double[] {b[0] - ab * a[0], b[1] - ab * a[1], b[2] - ab * a[2]});
    double[] superior = {0, 0, 1};
    double sa = dot(superior, a);
    double sb = dot(superior, b);
    double norm = Math.hypot(sa, sb);
    if (norm < 1e-6) {
      // An axial slice: nothing is superior in it; use axis B as "superior" and say so via cosine.
      sa = 0;
      sb = 1;
      norm = 1;
    }
    sa /= norm;
    sb /= norm;
    // Posterior: perpendicular to superior in the plane, on the side of LPS +y.
    double pa = -sb;
    double pb = sa;
    if (pa * a[1] + pb * b[1] < 0) {
      pa = -pa;
      pb = -pb;
    }
    return new double[][] {{sa, pa}, {sb, pb}};
  }

  private static double[] column(ImageGeometry g, int c) {
    return normalised(new double[] {g.direction(0, c), g.direction(1, c), g.direction(2, c)});
  }

  private static double[] normalised(double[] v) {
    double n = Math.sqrt(dot(v, v));
    return new double[] {v[0] / n, v[1] / n, v[2] / n};
  }

  private static double dot(double[] u, double[] v) {
    return u[0] * v[0] + u[1] * v[1] + u[2] * v[2];
  }

  /** Index in the volume of pixel (i, j) of this slice. */
  long volumeIndex(int i, int j) {
    return volumeIndex(slice, i, j);
  }

  /** Index in the volume of pixel (i, j) of sagittal slice {@code s}. */
  long volumeIndex(int s, int i, int j) {
    int[] at = new int[3];
    at[sagittalAxis] = s;
    at[axisA] = i;
    at[axisB] = j;
    return at[0] + (long) size[0] * (at[1] + (long) size[1] * at[2]);
  }

  Structure structure(int pixel) {
    return structures[pixel];
  }

  /** Superior coordinate (mm) of pixel {@code i + width * j}. */
  double sup(int pixel) {
    return (pixel % width) * spacingA * unitA[0] + (pixel / width) * spacingB * unitB[0];
  }

  /** Posterior coordinate (mm) of pixel {@code i + width * j}. */
  double post(int pixel) {
    return (pixel % width) * spacingA * unitA[1] + (pixel / width) * spacingB * unitB[1];
  }

  /** The pixel nearest to (sup, post), or -1 outside the slice. */
  int pixelAt(double sup, double post) {
    double i = (sup * unitA[0] + post * unitA[1]) / spacingA;
    double j = (sup * unitB[0] + post * unitB[1]) / spacingB;
    int ii = (int) Math.round(i);
    int jj = (int) Math.round(j);
    if (ii < 0 || jj < 0 || ii >= width || jj >= height) {
      return -1;
    }
    return ii + width * jj;
  }

  boolean onBorder(int pixel) {
    int i = pixel % width;
    int j = pixel / width;
    return i == 0 || j == 0 || i == width - 1 || j == height - 1;
  }

  double pixelArea() {
    return spacingA * spacingB;
  }
}
