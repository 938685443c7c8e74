package io.spineflow.imaging.phantom;

import io.spineflow.imaging.Sequence;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Places a SPIDER-like sagittal acquisition over a phantom patient: thick sagittal slices (T1/T2)
 * or thin ones over the central spine only (T2 SPACE), square in-plane pixels, a field of view that
 * starts in the sacrum and ends partway through the highest visible vertebra (which is therefore
 * "partly visible"), the patient's back inside with some air behind it, and the whole grid tilted
 * by a few degrees as real planning is.
 */
final class FieldOfViewPlanner {
  /** In-plane voxel counts stay below these at size scale 1, to keep studies light. */
  private static final int MAX_IN_PLANE_THICK = 288;

  private static final int MAX_IN_PLANE_SPACE = 320;

  private FieldOfViewPlanner() {}

  static PatientGrid plan(
      SpineAnatomy anatomy, Sequence sequence, double sizeScale, RandomGenerator random) {
    double[][] axes = rotatedAxes(random);
    double[] u = axes[0];
    double[] w = axes[2];
    double[] v = axes[1];

    double sliceThickness;
    int slices;
    double inPlane;
    int maxInPlane;
    if (sequence == Sequence.T2_SPACE) {
      sliceThickness = uniform(random, 0.95, 1.2);
      slices = (int) Math.round(uniform(random, 44, 52) / sliceThickness);
      inPlane = uniform(random, 0.6, 0.7);
      maxInPlane = MAX_IN_PLANE_SPACE;
    } else {
      sliceThickness = uniform(random, 3.3, 4.8);
      slices = 13 + random.nextInt(5);
      inPlane = uniform(random, 0.75, 0.9);
      maxInPlane = MAX_IN_PLANE_THICK;
    }
    inPlane /= sizeScale;
    if (sequence == Sequence.T2_SPACE) {
      // Near-isotropic: coarsen the slices too, so they stay the thickest axis at any scale.
      sliceThickness /= sizeScale;
      slices = Math.max(3, (int) Math.round(slices * sizeScale));
    }
    int maxCount = Math.max(8, (int) Math.round(maxInPlane * sizeScale));

    // Inferior-superior: from a margin below L5/S1 up through the top visible vertebra's body.
    int k = anatomy.visibleVertebrae();
    double bottom =
        Math.min(min(anatomy.vertebraExtent(1), w), min(anatomy.discExtent(1), w))
            - uniform(random, 6, 25);
    double top = top(anatomy, w, random);
    int countSi = (int) Math.ceil((top - bottom) / inPlane);
    if (countSi > maxCount) {
      inPlane = (top - bottom) / maxCount;
      countSi = maxCount;
    }
    bottom = top - countSi * inPlane;

    // Anterior-posterior: the back and some air behind it, the bodies and some abdomen in front.
    double back = Double.NEGATIVE_INFINITY;
    for (double t = -40; t <= anatomy.bodyTop(k) + 10; t += 5) {
      back = Math.max(back, dot(anatomy.posteriorSkin(t), v));
    }
    back += uniform(random, 5, 35);
    double front = Double.POSITIVE_INFINITY;
    for (int vertebra = 1; vertebra <= k; vertebra++) {
      front = Math.min(front, dot(anatomy.anteriorBody(vertebra), v));
    }
    front -= uniform(random, 25, 70);
    int countAp = (int) Math.ceil((back - front) / inPlane);
    if (countAp > maxCount) {
      countAp = maxCount;
    }
    front = back - countAp * inPlane;

    // Left-right: centred near the spine's midline.
    double[] midline = anatomy.point(anatomy.bodyTop(k) / 2, 0, 0);
    double centreLr = dot(midline, u) + uniform(random, -3, 3);
    double left = centreLr - slices * sliceThickness / 2;

    double[] lower = {left, front, bottom};
    double[] spacing = {sliceThickness, inPlane, inPlane};
    double[] first = new double[3];
    for (int a = 0; a < 3; a++) {
      for (int c = 0; c < 3; c++) {
        first[c] += (lower[a] + 0.5 * spacing[a]) * axes[a][c];
      }
    }
    return new PatientGrid(new int[] {slices, countAp, countSi}, spacing, axes, first);
  }

  /**
   * Where the field of view ends at the top (along {@code w}): partway through the body of the
   * highest visible vertebra k, so that k is partly visible and k+1 is out.
   */
  private static double top(SpineAnatomy anatomy, double[] w, RandomGenerator random) {
    int k = anatomy.visibleVertebrae();
    double low = Math.max(max(anatomy.vertebraExtent(k - 1), w), min(anatomy.bodyExtent(k), w)) + 2;
    double high =
        Math.min(
                Math.min(max(anatomy.bodyExtent(k), w), min(anatomy.vertebraExtent(k + 1), w)),
                min(anatomy.discExtent(k + 1), w))
            - 2;
    if (high > low) {
      return low + uniform(random, 0.15, 0.85) * (high - low);
    }
    // A steeply tilted top: the spinous process of vertebra k+1 hangs below the top of body k.
    // Keep vertebra k+1 and its disc out (the count must stay k), cut body k, and accept that
    // the posterior elements of k-1 may be cut too (then both are partly visible, as in SPIDER).
    double exclude =
        Math.min(min(anatomy.vertebraExtent(k + 1), w), min(anatomy.discExtent(k + 1), w)) - 1.5;
    return Math.max(exclude, min(anatomy.bodyExtent(k), w) + 3);
  }

  /**
   * A randomised acquisition over a (wide) patient: any slice thickness from 1 to 6.5 mm over 35-85
   * mm left-right, in-plane spacing 0.5-1.4 mm, a field of view from just below L5/S1 down to the
   * whole sacrum, and from just in front of the bodies to the abdominal wall or beyond (but no
   * deeper than it is tall). The top cuts the highest visible vertebra as in {@link #plan}. When
   * the field of view would exceed the voxel budget, the in-plane spacing grows (coarser, as a
   * scanner's matrix would).
   */
  static PatientGrid planRandomised(
      SpineAnatomy anatomy, double sizeScale, RandomGenerator random) {
    double[][] axes = rotatedAxes(random);
    double[] u = axes[0];
    double[] v = axes[1];
    double[] w = axes[2];
    double inPlane = uniform(random, 0.5, 1.4) / sizeScale;
    double sliceThickness = uniform(random, 1.0, 6.5);
    double coverageLr = uniform(random, 35, 85);
    int maxCount = Math.max(8, (int) Math.round(MAX_IN_PLANE_SPACE * sizeScale));

    int k = anatomy.visibleVertebrae();
    double bottom =
        Math.min(min(anatomy.vertebraExtent(1), w), min(anatomy.discExtent(1), w))
            - uniform(random, 6, 75);
    double top = top(anatomy, w, random);
    double back = Double.NEGATIVE_INFINITY;
    for (double t = -40; t <= anatomy.bodyTop(k) + 10; t += 5) {
      back = Math.max(back, dot(anatomy.posteriorSkin(t), v));
    }
    back += uniform(random, 3, 60);
    double front = Double.POSITIVE_INFINITY;
    for (int vertebra = 1; vertebra <= k; vertebra++) {
      front = Math.min(front, dot(anatomy.anteriorBody(vertebra), v));
    }
    // Real fields of view are about square: in front of the spine, at most as deep as it is tall.
    // Never closer than 20 mm to the bodies' front.
    front = Math.min(front - 20, Math.max(front - uniform(random, 20, 200), back - (top - bottom)));
    inPlane = Math.max(inPlane, Math.max(top - bottom, back - front) / maxCount);
    int countSi = (int) Math.ceil((top - bottom) / inPlane);
    int countAp = (int) Math.ceil((back - front) / inPlane);
    bottom = top - countSi * inPlane;
    front = back - countAp * inPlane;
    // Slices are never thinner than the pixels are wide: the sagittal axis stays the coarsest.
    sliceThickness = Math.max(sliceThickness, inPlane);
    int slices = Math.max(5, (int) Math.round(coverageLr / sliceThickness));

    double[] midline = anatomy.point(anatomy.bodyTop(k) / 2, 0, 0);
    double centreLr = dot(midline, u) + uniform(random, -4, 4);
    double left = centreLr - slices * sliceThickness / 2;
    double[] lower = {left, front, bottom};
    double[] spacing = {sliceThickness, inPlane, inPlane};
    double[] first = new double[3];
    for (int a = 0; a < 3; a++) {
      for (int c = 0; c < 3; c++) {
        first[c] += (lower[a] + 0.5 * spacing[a]) * axes[a][c];
      }
    }
    return new PatientGrid(new int[] {slices, countAp, countSi}, spacing, axes, first);
  }

  /**
   * The scanner frame tilted by a few degrees: mostly about left-right (an oblique sagittal plan
   * following the spine), less about the other two; at least 1.5 degrees in all.
   */
  private static double[][] rotatedAxes(RandomGenerator random) {
    double ax = Math.toRadians(uniform(random, -6, 6));
    double ay = Math.toRadians(uniform(random, -3, 3));
    double az = Math.toRadians(uniform(random, -3, 3));
    if (Math.abs(ax) < Math.toRadians(1.5)) {
      ax = Math.copySign(Math.toRadians(1.5), ax);
    }
    double[][] rx = {
      {1, 0, 0},
      {0, StrictMath.cos(ax), -StrictMath.sin(ax)},
      {0, StrictMath.sin(ax), StrictMath.cos(ax)}
    };
    double[][] ry = {
      {StrictMath.cos(ay), 0, StrictMath.sin(ay)},
      {0, 1, 0},
      {-StrictMath.sin(ay), 0, StrictMath.cos(ay)}
    };
    double[][] rz = {
      {StrictMath.cos(az), -StrictMath.sin(az), 0},
      {StrictMath.sin(az), StrictMath.cos(az), 0},
      {0, 0, 1}
    };
    double[][] r = multiply(rz, multiply(ry, rx));
    // Columns of r are the rotated L, P and S axes.
    double[][] axes = new double[3][3];
    for (int a = 0; a < 3; a++) {
      for (int c = 0; c < 3; c++) {
        axes[a][c] = r[c][a];
      }
    }
    return axes;
  }

  private static double[][] multiply(double[][] a, double[][] b) {
    double[][] out = new double[3][3];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        for (int m = 0; m < 3; m++) {
          out[i][j] += a[i][m] * b[m][j];
        }
      }
    }
    return out;
  }

  private static double dot(double[] p, double[] axis) {
    return p[0] * axis[0] + p[1] * axis[1] + p[2] * axis[2];
  }

  private static double min(List<double[]> points, double[] axis) {
    return points.stream().mapToDouble(p -> dot(p, axis)).min().orElseThrow();
  }

  private static double max(List<double[]> points, double[] axis) {
    return points.stream().mapToDouble(p -> dot(p, axis)).max().orElseThrow();
  }

  private static double uniform(RandomGenerator random, double low, double high) {
    return low + (high - low) * random.nextDouble();
  }
}
