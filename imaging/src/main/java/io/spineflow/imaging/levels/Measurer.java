package io.spineflow.imaging.levels;

import java.util.Arrays;

/**
 * Heights and canal diameters on a slice, measured along straight lines sampled at a tenth of the
 * finer pixel spacing, each sample taking the structure of its nearest pixel (the label's own
 * boundary, halfway between pixel centres).
 */
final class Measurer {
  /** Furthest a height or canal line is followed from its start. */
  private static final double REACH_MM = 80;

  /** Lines averaged across each third (they span the middle half of the third). */
  private static final int LINES = 5;

  /** Canal lines: through the disc's centre and this far above and below it along the axis. */
  private static final double CANAL_OFFSET_MM = 1.0;

  /** A canal line further than this fraction from the lines' median is left out of their mean. */
  private static final double OUTLIER_FRACTION = 0.3;

  private final SagittalPlane plane;
  private final Components components;
  private final double step;

  Measurer(SagittalPlane plane, Components components) {
    this.plane = plane;
    this.components = components;
    this.step = Math.min(plane.spacingA, plane.spacingB) / 10;
  }

  /** The unit vector perpendicular to {@code axis} pointing anterior (towards -post). */
  static double[] anterior(double[] axis) {
    double[] a = {axis[1], -axis[0]};
    return a[1] > 0 ? new double[] {-a[0], -a[1]} : a;
  }

  /**
   * Heights {anterior, middle, posterior} of {@code c} along {@code axis} (unit, (sup, post)), at
   * the centres of the thirds of its extent perpendicular to the axis; null where no line crossed
   * it.
   */
  Double[] thirds(Component c, double[] axis) {
    double[] a = anterior(axis);
    double low = Double.MAX_VALUE;
    double high = -Double.MAX_VALUE;
    for (int p : c.pixels()) {
      double q = (plane.sup(p) - c.sup()) * a[0] + (plane.post(p) - c.post()) * a[1];
      low = Math.min(low, q);
      high = Math.max(high, q);
    }
    double extent = high - low;
    double[] centres = {high - extent / 6, (low + high) / 2, low + extent / 6};
    Double[] heights = new Double[3];
    for (int k = 0; k < 3; k++) {
      heights[k] = meanHeight(c, axis, a, centres[k], extent / 12);
    }
    return heights;
  }

  private Double meanHeight(Component c, double[] axis, double[] a, double q0, double halfWidth) {
    double sum = 0;
    int lines = 0;
    for (int k = 0; k < LINES; k++) {
      double q = q0 + halfWidth * (2.0 * k / (LINES - 1) - 1);
      double s0 = c.sup() + q * a[0];
      double p0 = c.post() + q * a[1];
      double run = runThrough(c.id(), s0, p0, axis);
      if (run > 0) {
        sum += run;
        lines++;
      }
    }
    return lines == 0 ? null : sum / lines;
  }

  /**
   * Length of the run of component {@code id} on the line through (s0, p0) along {@code axis} that
   * contains the start point, or else the run nearest to it; 0 when the line misses it.
   */
  private double runThrough(int id, double s0, double p0, double[] axis) {
    int n = (int) Math.ceil(REACH_MM / step);
    double best = 0;
    double bestDistance = Double.MAX_VALUE;
    int runStart = Integer.MIN_VALUE;
    for (int k = -n; k <= n + 1; k++) {
      boolean inside =
          k <= n && components.idAt(s0 + k * step * axis[0], p0 + k * step * axis[1]) == id;
      if (inside && runStart == Integer.MIN_VALUE) {
        runStart = k;
      } else if (!inside && runStart != Integer.MIN_VALUE) {
        int runEnd = k - 1;
        double distance = runStart <= 0 && runEnd >= 0 ? 0 : Math.min(abs(runStart), abs(runEnd));
        if (distance < bestDistance) {
          bestDistance = distance;
          best = (runEnd - runStart + 1) * step;
        }
        runStart = Integer.MIN_VALUE;
      }
    }
    return best;
  }

  private static int abs(int v) {
    return Math.abs(v);
  }

  /**
   * The canal's anteroposterior diameter at disc {@code c}: the first canal run met going posterior
   * from the disc's centroid perpendicular to {@code axis}, the median over lines through the
   * centre and {@value #CANAL_OFFSET_MM} mm above and below; null when no line meets the canal, NaN
   * when the border of the slice cuts the canal on a line (its diameter is unknown).
   */
  Double canalDiameter(Component c, double[] axis) {
    double[] back = anterior(axis);
    back = new double[] {-back[0], -back[1]};
    double[] runs = new double[3];
    int lines = 0;
    for (double offset : new double[] {-CANAL_OFFSET_MM, 0, CANAL_OFFSET_MM}) {
      double s0 = c.sup() + offset * axis[0];
      double p0 = c.post() + offset * axis[1];
      double run = firstCanalRun(s0, p0, back);
      if (run < 0) {
        return Double.NaN;
      }
      if (run > 0) {
        runs[lines++] = run;
      }
    }
    if (lines == 0) {
      return null;
    }
    // The mean of the lines that agree with their median: one line through a nick in the canal's
    // label does not pull it down, and the others still average out the pixel steps.
    Arrays.sort(runs, 0, lines);
    double median = lines == 3 ? runs[1] : lines == 2 ? (runs[0] + runs[1]) / 2 : runs[0];
    double sum = 0;
    int agreeing = 0;
    for (int k = 0; k < lines; k++) {
      if (Math.abs(runs[k] - median) <= OUTLIER_FRACTION * median) {
        sum += runs[k];
        agreeing++;
      }
    }
    return agreeing == 0 ? median : sum / agreeing;
  }

  /** The first canal run's length; 0 when there is none, -1 when the slice's border cuts it. */
  private double firstCanalRun(double s0, double p0, double[] direction) {
    int n = (int) Math.ceil(REACH_MM / step);
    int count = 0;
    for (int k = 0; k <= n; k++) {
      int p = plane.pixelAt(s0 + k * step * direction[0], p0 + k * step * direction[1]);
      boolean canal = p >= 0 && plane.structure(p) == Structure.CANAL;
      if (canal && plane.onBorder(p)) {
        return -1;
      }
      if (canal) {
        count++;
      } else if (count > 0) {
        break;
      }
    }
    return count * step;
  }
}
