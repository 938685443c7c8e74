package io.spineflow.imaging.levels;

import io.spineflow.imaging.ImageGeometry;
import java.util.List;

/**
 * A {@link LevelReport} together with where each found level lies in the volume, so it can be
 * compared with reference labels ({@link NumberingCheck}) or drawn.
 */
public final class LevelAnalysis {
  private final LevelReport report;
  private final ImageGeometry geometry;
  private final SagittalPlane plane;
  private final List<Level> levels;

  LevelAnalysis(
      LevelReport report, ImageGeometry geometry, SagittalPlane plane, List<Level> levels) {
    this.report = report;
    this.geometry = geometry;
    this.plane = plane;
    this.levels = List.copyOf(levels);
  }

  public LevelReport report() {
    return report;
  }

  /** The grid the analysed volume was on. */
  public ImageGeometry geometry() {
    return geometry;
  }

  /**
   * Volume voxel indices ({@code x + size[0] * (y + size[1] * z)}) of level {@code order} on the
   * slice it was measured on; empty for a placeholder.
   */
  public long[] voxels(int order) {
    Level level = levels.get(order);
    if (!level.found()) {
      return new long[0];
    }
    SagittalPlane on = level.plane != null ? level.plane : plane;
    int[] pixels = (level.measured != null ? level.measured : level.component).pixels();
    long[] out = new long[pixels.length];
    for (int k = 0; k < pixels.length; k++) {
      out[k] = on.volumeIndex(pixels[k] % on.width, pixels[k] / on.width);
    }
    return out;
  }
}
