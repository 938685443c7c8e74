package io.spineflow.imaging.levels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The 4-connected components of vertebrae, canal and discs on a slice. */
final class Components {
  private final SagittalPlane plane;
  private final int[] ids;
  private final List<Component> all = new ArrayList<>();

  Components(SagittalPlane plane) {
    this.plane = plane;
    this.ids = new int[plane.width * plane.height];
    Arrays.fill(ids, -1);
    int[] queue = new int[ids.length];
    for (int p = 0; p < ids.length; p++) {
      if (ids[p] < 0 && plane.structure(p) != Structure.NONE) {
        all.add(fill(p, queue));
      }
    }
  }

  /** Breadth-first fill from {@code seed}; 4-connectivity keeps diagonal touches apart. */
  private Component fill(int seed, int[] queue) {
    Structure s = plane.structure(seed);
    int id = all.size();
    int head = 0;
    int tail = 0;
    queue[tail++] = seed;
    ids[seed] = id;
    double sup = 0;
    double post = 0;
    double ss = 0;
    double sp = 0;
    double pp = 0;
    boolean cut = false;
    while (head < tail) {
      int p = queue[head++];
      double ps = plane.sup(p);
      double pq = plane.post(p);
      sup += ps;
      post += pq;
      ss += ps * ps;
      sp += ps * pq;
      pp += pq * pq;
      cut |= plane.onBorder(p);
      int i = p % plane.width;
      int j = p / plane.width;
      if (i > 0) {
        tail = visit(p - 1, s, id, queue, tail);
      }
      if (i < plane.width - 1) {
        tail = visit(p + 1, s, id, queue, tail);
      }
      if (j > 0) {
        tail = visit(p - plane.width, s, id, queue, tail);
      }
      if (j < plane.height - 1) {
        tail = visit(p + plane.width, s, id, queue, tail);
      }
    }
    int[] pixels = Arrays.copyOf(queue, tail);
    double ms = sup / tail;
    double mp = post / tail;
    double[] covariance = {ss / tail - ms * ms, sp / tail - ms * mp, pp / tail - mp * mp};
    return new Component(id, s, pixels, ms, mp, tail * plane.pixelArea(), cut, covariance);
  }

  private int visit(int q, Structure s, int id, int[] queue, int tail) {
    if (ids[q] < 0 && plane.structure(q) == s) {
      ids[q] = id;
      queue[tail++] = q;
    }
    return tail;
  }

  List<Component> all() {
    return all;
  }

  /** Component id of every pixel, -1 for background. */
  int[] ids() {
    return ids;
  }

  /** The component id at (sup, post), or -1 (background or outside the slice). */
  int idAt(double sup, double post) {
    int p = plane.pixelAt(sup, post);
    return p < 0 ? -1 : ids[p];
  }
}
