package io.spineflow.imaging.levels;

import io.spineflow.imaging.ElementType;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.ImageGeometry;
import java.util.Arrays;

/**
 * A hand-built lumbar spine of blocks with known sizes, painted into a label volume by voxel
 * centre. Built in curvilinear coordinates like the phantom's: {@code t} along the posterior wall
 * of the bodies from the top of the sacrum upwards, {@code n} from that wall towards posterior
 * (bodies and discs span n in [-depth, 0], the canal [gap, gap + canal]). The wall is a circular
 * arc of radius {@code radius} (infinite: a straight line) whose centre lies posterior, leaning
 * {@code tiltDegrees} forward at the sacrum; a disc of height H along the wall is H (R - n) / R
 * high at depth n: wedge-shaped, taller in front.
 */
final class SyntheticSpine {
  static final double BODY_HALF_WIDTH = 20;
  static final double CANAL_HALF_WIDTH = 8;

  double[] discHeights = {10.3, 11.6, 12.2, 10.8, 9.7};
  double[] bodyHeights = {26.4, 27.1, 26.8, 25.5, 24.9};
  double depth = 36;
  double canalGap = 1.5;
  double canal = 13.7;
  double radius = Double.POSITIVE_INFINITY;
  double tiltDegrees = 0;

  /** 1-based disc numbers to leave unlabelled. */
  int[] missingDiscs = {};

  /** 1-based body numbers to leave unlabelled. */
  int[] missingBodies = {};

  boolean sacrumLabelled = false;

  /** 1-based disc to split front to back by a 2 mm unlabelled gap (0: none). */
  int splitDisc = 0;

  /** An elliptic canal cross-section (narrower off the midline) instead of a rectangle. */
  boolean ellipticCanal = false;

  boolean posteriorElements = true;

  /** The physical point at t = 0, n = 0, x = 0. */
  double[] base = {3, -10.35, -120.35};

  int[] size = {20, 160, 280};
  double[] spacing = {4, 1, 1};

  /** Columns: array axes in LPS; default axis 0 = left-right, 1 = AP, 2 = SI. */
  double[] direction = {1, 0, 0, 0, 1, 0, 0, 0, 1};

  /** Centre of the field of view, physical. */
  double[] centre = {0, 0, 0};

  /** Label values used for vertebrae, canal and discs (SPIDER: k, 100, 200 + k). */
  boolean merged = false;

  double bottomOfDisc(int k) {
    double t = 0;
    for (int i = 1; i < k; i++) {
      t += discHeights[i - 1] + bodyHeights[i - 1];
    }
    return t;
  }

  /** Height of disc k (1-based) at depth n (negative: anterior of the posterior wall). */
  double discHeightAt(int k, double n) {
    return scaled(discHeights[k - 1], n);
  }

  double bodyHeightAt(int k, double n) {
    return scaled(bodyHeights[k - 1], n);
  }

  private double scaled(double h, double n) {
    return Double.isInfinite(radius) ? h : h * (radius - n) / radius;
  }

  Image paint() {
    ImageGeometry g = geometry();
    byte[] data = new byte[(int) g.voxelCount()];
    int index = 0;
    for (int k = 0; k < size[2]; k++) {
      for (int j = 0; j < size[1]; j++) {
        for (int i = 0; i < size[0]; i++, index++) {
          double[] p = physical(g, i, j, k);
          data[index] = (byte) label(p);
        }
      }
    }
    return new Image(g, ElementType.UCHAR, data);
  }

  ImageGeometry geometry() {
    double[] origin = centre.clone();
    for (int a = 0; a < 3; a++) {
      double half = (size[a] - 1) * spacing[a] / 2;
      for (int r = 0; r < 3; r++) {
        origin[r] -= direction[r * 3 + a] * half;
      }
    }
    return new ImageGeometry(size, spacing, origin, direction);
  }

  private double[] physical(ImageGeometry g, int i, int j, int k) {
    double[] o = g.origin();
    int[] idx = {i, j, k};
    double[] p = o.clone();
    for (int a = 0; a < 3; a++) {
      for (int r = 0; r < 3; r++) {
        p[r] += direction[r * 3 + a] * idx[a] * spacing[a];
      }
    }
    return p;
  }

  /** (t, n, x) of a physical point. */
  double[] spine(double[] p) {
    double tilt = Math.toRadians(tiltDegrees);
    // Upward tangent and posterior normal at the base, in the y-z plane.
    double ty = -Math.sin(tilt);
    double tz = Math.cos(tilt);
    double ny = Math.cos(tilt);
    double nz = Math.sin(tilt);
    double dy = p[1] - base[1];
    double dz = p[2] - base[2];
    double x = p[0] - base[0];
    if (Double.isInfinite(radius)) {
      return new double[] {dy * ty + dz * tz, dy * ny + dz * nz, x};
    }
    // Centre of curvature: radius behind the base.
    double cy = dy - radius * ny;
    double cz = dz - radius * nz;
    double along = -(cy * ny + cz * nz);
    double across = cy * ty + cz * tz;
    return new double[] {radius * Math.atan2(across, along), radius - Math.hypot(cy, cz), x};
  }

  int label(double[] p) {
    double[] s = spine(p);
    double t = s[0];
    double n = s[1];
    double x = Math.abs(s[2]);
    double cn = (n - canalGap - canal / 2) / (canal / 2);
    double cx = x / CANAL_HALF_WIDTH;
    boolean inCanal =
        ellipticCanal
            ? cn * cn + cx * cx <= 1
            : n >= canalGap && n < canalGap + canal && x <= CANAL_HALF_WIDTH;
    if (inCanal && t > -40) {
      return merged ? 2 : 100;
    }
    if (t < 0) {
      boolean sacrum = sacrumLabelled && t > -40 && n >= -depth && n < 0 && x <= BODY_HALF_WIDTH;
      return sacrum ? (merged ? 1 : 99) : 0;
    }
    double bottom = 0;
    for (int k = 1; k <= discHeights.length; k++) {
      double discTop = bottom + discHeights[k - 1];
      double bodyTop = discTop + bodyHeights[k - 1];
      if (t < bodyTop) {
        boolean inBody = t >= discTop;
        int level = k;
        if (n >= -depth && n < 0 && x <= BODY_HALF_WIDTH) {
          if (inBody && Arrays.stream(missingBodies).noneMatch(m -> m == level)) {
            return merged ? 1 : k;
          }
          boolean gap = level == splitDisc && n >= -20 && n < -18;
          if (!inBody && !gap && Arrays.stream(missingDiscs).noneMatch(m -> m == level)) {
            return merged ? 3 : 200 + k;
          }
          return 0;
        }
        boolean spinous =
            posteriorElements
                && inBody
                && x <= 3
                && n >= canalGap + canal + 1
                && n < canalGap + canal + 25
                && Math.abs(t - (discTop + bodyTop) / 2) < bodyHeights[k - 1] / 3;
        return spinous ? (merged ? 1 : k) : 0;
      }
      bottom = bodyTop;
    }
    return 0;
  }
}
