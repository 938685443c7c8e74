package io.spineflow.preprocess.slicing;

import io.spineflow.imaging.ElementType;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.ImageGeometry;
import io.spineflow.imaging.phantom.VoxelGridLayout;

/**
 * Hand-made volumes: one patient, stored in any of the 48 array layouts. The patient is a grid in
 * LPS order (index i towards the left, j towards posterior, k towards superior) with spacing {@code
 * spacing}; a layout permutes and flips those axes and adjusts direction and origin, so every
 * layout describes exactly the same voxels at the same physical points.
 */
final class LayoutVolumes {
  private LayoutVolumes() {}

  /** The value of patient voxel (i, j, k). */
  @FunctionalInterface
  interface Patient {
    double at(int i, int j, int k);
  }

  static Image store(
      Patient patient, int[] lpsSize, double[] lpsSpacing, ElementType type, String layoutCode) {
    VoxelGridLayout layout = VoxelGridLayout.of(layoutCode);
    int[] size = new int[3];
    double[] spacing = new double[3];
    double[] origin = new double[3];
    double[] direction = new double[9];
    int[] lpsOf = new int[3];
    for (int c = 0; c < 3; c++) {
      int a = layout.patientAxis(c).lpsIndex();
      lpsOf[c] = a;
      size[c] = lpsSize[a];
      spacing[c] = lpsSpacing[a];
      boolean flipped = layout.flipped(c);
      direction[a * 3 + c] = flipped ? -1 : 1;
      origin[a] = flipped ? (lpsSize[a] - 1) * lpsSpacing[a] : 0;
    }
    double[] values = new double[size[0] * size[1] * size[2]];
    int[] m = new int[3];
    int[] lps = new int[3];
    for (m[2] = 0; m[2] < size[2]; m[2]++) {
      for (m[1] = 0; m[1] < size[1]; m[1]++) {
        for (m[0] = 0; m[0] < size[0]; m[0]++) {
          for (int c = 0; c < 3; c++) {
            lps[lpsOf[c]] = layout.flipped(c) ? size[c] - 1 - m[c] : m[c];
          }
          values[m[0] + size[0] * (m[1] + size[1] * m[2])] = patient.at(lps[0], lps[1], lps[2]);
        }
      }
    }
    return Image.fromDoubles(new ImageGeometry(size, spacing, origin, direction), type, values);
  }
}
