package io.spineflow.model.augment;

import io.spineflow.model.LabelledSlice;
import java.util.Random;

/**
 * A smooth elastic deformation: independent Gaussian displacements (standard deviation {@code
 * maxDisplacement}·U(0,1) pixels) at the nodes of a coarse grid with {@code gridCells} cells per
 * side, interpolated bilinearly between nodes. The coarse grid keeps the field smooth without a
 * per-pixel Gaussian filter; vertebrae bend a little, they do not tear.
 *
 * @param maxDisplacement the largest standard deviation of a node's displacement, pixels, 0..64
 * @param gridCells cells per side of the control grid, 2..16
 */
public record ElasticAugmentation(double maxDisplacement, int gridCells)
    implements SliceAugmentation {
  /** Checks the ranges. */
  public ElasticAugmentation {
    if (!(maxDisplacement >= 0 && maxDisplacement <= 64)) {
      throw new IllegalArgumentException(
          "elastic displacement must be 0..64 pixels: " + maxDisplacement);
    }
    if (gridCells < 2 || gridCells > 16) {
      throw new IllegalArgumentException("elastic grid must be 2..16 cells: " + gridCells);
    }
  }

  @Override
  public LabelledSlice augment(LabelledSlice slice, Random random) {
    int nodes = gridCells + 1;
    double sigma = maxDisplacement * random.nextDouble();
    double[] dx = new double[nodes * nodes];
    double[] dy = new double[nodes * nodes];
    for (int i = 0; i < dx.length; i++) {
      dx[i] = sigma * random.nextGaussian();
      dy[i] = sigma * random.nextGaussian();
    }
    double cellW = Math.max(1, slice.width() - 1) / (double) gridCells;
    double cellH = Math.max(1, slice.height() - 1) / (double) gridCells;
    return GeometricWarp.warp(
        slice,
        (x, y, s) -> {
          double gx = x / cellW;
          double gy = y / cellH;
          s[0] = x + interpolate(dx, nodes, gx, gy);
          s[1] = y + interpolate(dy, nodes, gx, gy);
        });
  }

  private static double interpolate(double[] field, int nodes, double gx, double gy) {
    int x0 = Math.min((int) gx, nodes - 2);
    int y0 = Math.min((int) gy, nodes - 2);
    double fx = gx - x0;
    double fy = gy - y0;
    double top = field[y0 * nodes + x0] * (1 - fx) + field[y0 * nodes + x0 + 1] * fx;
    double bottom = field[(y0 + 1) * nodes + x0] * (1 - fx) + field[(y0 + 1) * nodes + x0 + 1] * fx;
    return top * (1 - fy) + bottom * fy;
  }
}
