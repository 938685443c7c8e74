package io.spineflow.imaging.levels;

import java.util.ArrayList;
import java.util.List;

/**
 * Tells vertebral bodies from posterior elements: on a mid-sagittal slice both carry the vertebra
 * label, but a body lies in front of the canal and the laminae and spinous processes behind it.
 */
final class Bodies {
  /** Without a canal, vertebra components smaller than this fraction of the largest are dropped. */
  private static final double FALLBACK_AREA_FRACTION = 0.3;

  private Bodies() {}

  /**
   * The components whose nearest canal pixel lies posterior of their centroid; without canal
   * pixels, the ones at least {@value #FALLBACK_AREA_FRACTION} of the largest's area (flagged).
   */
  static List<Component> select(
      List<Component> vertebrae, List<Integer> canal, SagittalPlane plane, List<String> flags) {
    List<Component> bodies = new ArrayList<>();
    if (canal.isEmpty()) {
      flags.add(LevelFlag.NO_CANAL.with("no canal on slice " + plane.slice));
      double largest = vertebrae.stream().mapToDouble(Component::areaMm2).max().orElse(0);
      for (Component c : vertebrae) {
        if (c.areaMm2() >= FALLBACK_AREA_FRACTION * largest) {
          bodies.add(c);
        }
      }
      return bodies;
    }
    for (Component c : vertebrae) {
      int nearest = -1;
      double best = Double.MAX_VALUE;
      for (int p : canal) {
        double ds = plane.sup(p) - c.sup();
        double dp = plane.post(p) - c.post();
        double d = ds * ds + dp * dp;
        if (d < best) {
          best = d;
          nearest = p;
        }
      }
      if (plane.post(nearest) > c.post()) {
        bodies.add(c);
      }
    }
    return bodies;
  }
}
