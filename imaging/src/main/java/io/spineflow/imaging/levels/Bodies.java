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

  /** A body without a canal to tell it by: some pixel this close to a disc pixel. */
  private static final double NEAR_DISC_MM = 3;

  private Bodies() {}

  private static boolean nearDisc(Component c, SagittalPlane plane) {
    int ra = (int) Math.ceil(NEAR_DISC_MM / plane.spacingA);
    int rb = (int) Math.ceil(NEAR_DISC_MM / plane.spacingB);
    for (int p : c.pixels()) {
      int i = p % plane.width;
      int j = p / plane.width;
      for (int dj = -rb; dj <= rb; dj++) {
        for (int di = -ra; di <= ra; di++) {
          int ii = i + di;
          int jj = j + dj;
          boolean inside = ii >= 0 && jj >= 0 && ii < plane.width && jj < plane.height;
          if (inside && plane.structure(ii + plane.width * jj) == Structure.DISC) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * The components whose nearest canal pixel lies posterior of their centroid. Without canal pixels
   * (flagged): the ones within {@value #NEAR_DISC_MM} mm of a disc (bodies border discs, posterior
   * elements do not), or, with no disc either, the ones at least {@value #FALLBACK_AREA_FRACTION}
   * of the largest's area.
   */
  static List<Component> select(
      List<Component> vertebrae, List<Integer> canal, SagittalPlane plane, List<String> flags) {
    List<Component> bodies = new ArrayList<>();
    if (canal.isEmpty()) {
      flags.add(LevelFlag.NO_CANAL.with("no canal on slice " + plane.slice));
      List<Component> touching = new ArrayList<>();
      for (Component c : vertebrae) {
        if (nearDisc(c, plane)) {
          touching.add(c);
        }
      }
      if (!touching.isEmpty()) {
        return touching;
      }
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
