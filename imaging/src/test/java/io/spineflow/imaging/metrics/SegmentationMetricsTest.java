package io.spineflow.imaging.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class SegmentationMetricsTest {
  private static final double EPS = 1e-12;
  private static final PixelSpacing UNIT = PixelSpacing.isotropic(1);

  @Test
  void overlappingRectanglesGiveHandComputedOverlapMetrics() {
    // label: 10 × 10 = 100 px; prediction: 8 × 10 = 80 px; overlap: columns 14..19 = 60 px
    Masks label = Masks.blank(40, 40).rect(10, 10, 19, 19, 1);
    Masks predicted = Masks.blank(40, 40).rect(14, 10, 21, 19, 1);

    ClassMetrics m = metrics(2).evaluateClass(predicted.pixels, label.pixels, 40, 40, UNIT, 1);

    assertThat(m.labelPixels()).isEqualTo(100);
    assertThat(m.predictedPixels()).isEqualTo(80);
    assertThat(m.truePositives()).isEqualTo(60);
    assertThat(m.precision()).isCloseTo(0.75, within(EPS));
    assertThat(m.recall()).isCloseTo(0.6, within(EPS));
    assertThat(m.dice()).isCloseTo(120.0 / 180, within(EPS));
    assertThat(m.iou()).isCloseTo(0.5, within(EPS));
    assertThat(m.f1()).isCloseTo(m.dice(), within(EPS)); // on one slice F1 is Dice
  }

  /**
   * A 20 × 20 square shifted right by 2 pixels. Per boundary (76 pixels, the same multiset both
   * ways by mirror symmetry): 36 at distance 0 (shared top and bottom rows), 4 at 1 px (the two
   * overhanging pixels of top and bottom rows next to the corner, and the leading column's pixels
   * next to the corners), 36 at 2 px. Sum 76 px: ASD is exactly 1 pixel, HD95 2 pixels.
   */
  @Test
  void squareShiftedByTwoPixelsGivesKnownSurfaceDistances() {
    Masks label = Masks.blank(60, 60).rect(20, 20, 39, 39, 2);
    Masks predicted = Masks.blank(60, 60).rect(22, 20, 41, 39, 2);
    PixelSpacing half = PixelSpacing.isotropic(0.5);

    ClassMetrics m = metrics(0.25).evaluateClass(predicted.pixels, label.pixels, 60, 60, half, 2);

    assertThat(m.asdMm()).isCloseTo(0.5, within(EPS));
    assertThat(m.hd95Mm()).isCloseTo(1.0, within(EPS));
    assertThat(m.nsd()).as("τ below one pixel").isCloseTo(36.0 / 76, within(EPS));
    assertThat(nsd(0.5, predicted, label, 60, half, 2)).isCloseTo(40.0 / 76, within(EPS));
    assertThat(nsd(1.0, predicted, label, 60, half, 2)).isCloseTo(1.0, within(EPS));
    assertThat(m.dice()).isCloseTo(2.0 * 360 / 800, within(EPS));
  }

  /**
   * The same shift with anisotropic pixels. Columns 0.5 mm, rows 2 mm: the leading column is 1 mm
   * from the label's (rows are further), so the distances are 36 × 0, 2 × 0.5, 38 × 1.0 mm. Columns
   * 2 mm, rows 0.5 mm: the leading column's pixels are nearer the top and bottom rows, min(4, 0.5
   * i, 0.5 (19 − i)) mm, summing to 44; the overhangs 2 and 4 mm twice; the trailing column 18 × 4
   * mm: 128 mm over 76 pixels.
   */
  @Test
  void anisotropicSpacingChangesDistancesAsComputedByHand() {
    Masks label = Masks.blank(60, 60).rect(20, 20, 39, 39, 1);
    Masks predicted = Masks.blank(60, 60).rect(22, 20, 41, 39, 1);
    SegmentationMetrics metrics = metrics(0.9);

    ClassMetrics narrowColumns =
        metrics.evaluateClass(
            predicted.pixels, label.pixels, 60, 60, new PixelSpacing(0.5, 2.0), 1);
    ClassMetrics wideColumns =
        metrics.evaluateClass(
            predicted.pixels, label.pixels, 60, 60, new PixelSpacing(2.0, 0.5), 1);

    assertThat(narrowColumns.asdMm()).isCloseTo(39.0 / 76, within(EPS));
    assertThat(narrowColumns.hd95Mm()).isCloseTo(1.0, within(EPS));
    assertThat(narrowColumns.nsd()).isCloseTo(38.0 / 76, within(EPS));
    assertThat(wideColumns.asdMm()).isCloseTo(128.0 / 76, within(EPS));
    assertThat(wideColumns.hd95Mm()).isCloseTo(4.0, within(EPS));
  }

  @Test
  void thinLineShiftedAcrossRowsMeasuresRowSpacingOnly() {
    // Every boundary pixel is exactly 3 rows from the other line: 3 × 0.4 mm, whatever the columns.
    Masks label = Masks.blank(30, 30).rect(5, 10, 24, 10, 3);
    Masks predicted = Masks.blank(30, 30).rect(5, 13, 24, 13, 3);
    PixelSpacing spacing = new PixelSpacing(0.7, 0.4);

    ClassMetrics m = metrics(1.0).evaluateClass(predicted.pixels, label.pixels, 30, 30, spacing, 3);

    assertThat(m.dice()).isZero();
    assertThat(m.asdMm()).isCloseTo(1.2, within(1e-9));
    assertThat(m.hd95Mm()).isCloseTo(1.2, within(1e-9));
    assertThat(m.nsd()).as("τ = 1.0 mm < 1.2 mm").isZero();
    // 3 × 0.4 is 1.2000000000000002 in doubles: τ = 1.2 must still count it as within.
    assertThat(nsd(1.2, predicted, label, 30, spacing, 3)).isEqualTo(1.0);
  }

  @Test
  void thinLineShiftedAcrossColumnsMeasuresColumnSpacingOnly() {
    Masks label = Masks.blank(30, 30).rect(10, 5, 10, 24, 3);
    Masks predicted = Masks.blank(30, 30).rect(13, 5, 13, 24, 3);

    ClassMetrics m =
        metrics(2)
            .evaluateClass(predicted.pixels, label.pixels, 30, 30, new PixelSpacing(0.7, 0.4), 3);

    assertThat(m.asdMm()).isCloseTo(2.1, within(1e-9));
    assertThat(m.hd95Mm()).isCloseTo(2.1, within(1e-9));
    assertThat(m.nsd()).isZero();
  }

  @Test
  void identicalMasksArePerfect() {
    Masks mask = Masks.randomBlobs(32, 24, 7);

    List<ClassMetrics> all =
        metrics(1).evaluate(mask.pixels, mask.pixels, 32, 24, new PixelSpacing(0.8, 1.3), true);

    assertThat(all).extracting(ClassMetrics::classId).containsExactly(0, 1, 2, 3);
    for (ClassMetrics m : all) {
      if (!m.inLabel()) {
        continue;
      }
      assertThat(m.dice()).isEqualTo(1.0);
      assertThat(m.iou()).isEqualTo(1.0);
      assertThat(m.precision()).isEqualTo(1.0);
      assertThat(m.recall()).isEqualTo(1.0);
      assertThat(m.f1()).isEqualTo(1.0);
      assertThat(m.asdMm()).isZero();
      assertThat(m.hd95Mm()).isZero();
      assertThat(m.nsd()).isEqualTo(1.0);
    }
  }

  @Test
  void classAbsentFromBothIsUndefinedEverywhere() {
    Masks label = Masks.blank(10, 10).rect(2, 2, 5, 5, 1);
    Masks predicted = Masks.blank(10, 10).rect(2, 2, 6, 5, 1);

    ClassMetrics canal = metrics(1).evaluateClass(predicted.pixels, label.pixels, 10, 10, UNIT, 2);

    for (Metric metric : Metric.values()) {
      assertThat(metric.of(canal)).as(metric.name()).isNaN();
      assertThat(canal.value(metric)).as(metric.name()).isEmpty();
    }
    assertThat(canal.inLabel()).isFalse();
    assertThat(canal.inPrediction()).isFalse();
  }

  @Test
  void classInOnlyOneMaskScoresZeroWithUndefinedDistances() {
    Masks withDisc = Masks.blank(10, 10).rect(2, 2, 5, 3, 3);
    Masks withoutDisc = Masks.blank(10, 10);

    ClassMetrics missed =
        metrics(1).evaluateClass(withoutDisc.pixels, withDisc.pixels, 10, 10, UNIT, 3);
    ClassMetrics hallucinated =
        metrics(1).evaluateClass(withDisc.pixels, withoutDisc.pixels, 10, 10, UNIT, 3);

    for (ClassMetrics m : List.of(missed, hallucinated)) {
      assertThat(m.dice()).isZero();
      assertThat(m.iou()).isZero();
      assertThat(m.precision()).isZero();
      assertThat(m.recall()).isZero();
      assertThat(m.f1()).isZero();
      assertThat(m.nsd()).isZero();
      assertThat(m.asdMm()).isNaN();
      assertThat(m.hd95Mm()).isNaN();
      assertThat(m.hasSurfaces()).isFalse();
    }
    assertThat(missed.labelPixels()).isEqualTo(8);
    assertThat(hallucinated.predictedPixels()).isEqualTo(8);
  }

  /**
   * The image edge counts as boundary: a label filling the whole 10 × 10 slice has the frame as its
   * boundary (36 px) and the prediction missing the last column a 10 × 9 frame (34 px). Only the
   * last column of the label (10 px) and the inner pixels of the prediction's last column (8 px)
   * are 1 px away: ASD 18 / 70.
   */
  @Test
  void imageEdgeCountsAsBoundary() {
    Masks label = Masks.blank(10, 10).rect(0, 0, 9, 9, 1);
    Masks predicted = Masks.blank(10, 10).rect(0, 0, 8, 9, 1);

    ClassMetrics m = metrics(0.5).evaluateClass(predicted.pixels, label.pixels, 10, 10, UNIT, 1);

    assertThat(m.asdMm()).isCloseTo(18.0 / 70, within(EPS));
    assertThat(m.nsd()).isCloseTo(52.0 / 70, within(EPS));
    assertThat(m.hd95Mm()).isCloseTo(1.0, within(EPS));
  }

  /**
   * Parallel lines {@code shift} columns apart: every distance is exactly {@code shift} columns.
   * Two rows apart the local search settles them; 10 columns apart on short lines the leftovers are
   * brute-forced, on long lines the distance transform runs. All must agree.
   */
  @ParameterizedTest
  @CsvSource({"2, 40", "10, 20", "10, 100"})
  void everyDistancePathGivesTheExactDistance(int shift, int length) {
    Masks label = Masks.blank(40, 120).rect(10, 5, 10, 4 + length, 1);
    Masks predicted = Masks.blank(40, 120).rect(10 + shift, 5, 10 + shift, 4 + length, 1);
    PixelSpacing spacing = new PixelSpacing(0.7, 0.4);

    ClassMetrics m = metrics(1).evaluateClass(predicted.pixels, label.pixels, 40, 120, spacing, 1);

    assertThat(m.asdMm()).isCloseTo(shift * 0.7, within(1e-9));
    assertThat(m.hd95Mm()).isCloseTo(shift * 0.7, within(1e-9));
  }

  @ParameterizedTest
  @EnumSource(SegmentationMetrics.Strategy.class)
  void surfaceMetricsMatchBruteForceOnRandomMasks(SegmentationMetrics.Strategy strategy) {
    SplittableRandom random = new SplittableRandom(2024);
    for (int trial = 0; trial < 150; trial++) {
      int width = 3 + random.nextInt(30);
      int height = 3 + random.nextInt(30);
      PixelSpacing spacing =
          new PixelSpacing(0.3 + 2 * random.nextDouble(), 0.3 + 2 * random.nextDouble());
      double tau = 3 * random.nextDouble();
      Masks label = Masks.randomBlobs(width, height, random.nextLong());
      Masks predicted = Masks.randomBlobs(width, height, random.nextLong());

      List<ClassMetrics> all =
          new SegmentationMetrics(tau, strategy)
              .evaluate(predicted.pixels, label.pixels, width, height, spacing, true);

      for (ClassMetrics m : all) {
        double[] expected = bruteForceSurface(predicted, label, spacing, tau, m.classId());
        String what = "trial " + trial + " class " + m.classId();
        if (expected == null) {
          assertThat(m.asdMm()).as(what).isNaN();
          continue;
        }
        assertThat(m.asdMm()).as(what + " ASD").isCloseTo(expected[0], within(1e-9));
        assertThat(m.nsd()).as(what + " NSD").isCloseTo(expected[1], within(1e-12));
        assertThat(m.hd95Mm()).as(what + " HD95").isCloseTo(expected[2], within(1e-9));
      }
    }
  }

  @Test
  void evaluatesForegroundOnlyUnlessBackgroundAsked() {
    Masks mask = Masks.blank(8, 8).rect(1, 1, 3, 3, 1);

    assertThat(metrics(1).evaluate(mask.pixels, mask.pixels, 8, 8, UNIT, false))
        .extracting(ClassMetrics::classId)
        .containsExactly(1, 2, 3);
  }

  @Test
  void meanIouSkipsUndefinedClasses() {
    Masks label = Masks.blank(10, 10).rect(0, 0, 4, 9, 1);
    Masks predicted = Masks.blank(10, 10).rect(0, 0, 4, 9, 1).rect(5, 0, 5, 9, 3);

    List<ClassMetrics> all =
        metrics(1).evaluate(predicted.pixels, label.pixels, 10, 10, UNIT, true);

    // background 40/50, vertebrae 1, canal undefined, discs 0 (pure false positive)
    assertThat(SegmentationMetrics.meanIou(all).getAsDouble())
        .isCloseTo((0.8 + 1 + 0) / 3, within(EPS));
  }

  @Test
  void rejectsMismatchedSizesAndForeignValues() {
    SegmentationMetrics metrics = metrics(1);
    byte[] ok = new byte[12];
    byte[] raw = new byte[12];
    raw[5] = (byte) 201; // a SPIDER disc label, not a merged class

    assertThatThrownBy(() -> metrics.evaluate(ok, new byte[11], 4, 3, UNIT, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("label");
    assertThatThrownBy(() -> metrics.evaluate(ok, raw, 4, 3, UNIT, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pixel 5");
    assertThatThrownBy(() -> metrics.evaluateClass(ok, ok, 4, 3, UNIT, 4))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SegmentationMetrics(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PixelSpacing(0, 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void percentileInterpolatesLikeNumpy() {
    // numpy.percentile([1, 2, 3, 4], 95) == 3.85; of one value, that value
    assertThat(SegmentationMetrics.percentile(new double[] {4, 1, 3, 2}, 95))
        .isCloseTo(3.85, within(EPS));
    assertThat(SegmentationMetrics.percentile(new double[] {7}, 95)).isEqualTo(7);
  }

  /** Not an assertion: how long the per-slice metrics take on a spine-like 128 × 128 slice. */
  @Test
  void timingSanityPrint() {
    Masks label = SpineSlices.spine(128, 128, 0);
    Masks predicted = SpineSlices.spine(128, 128, 1); // one pixel off, plus its own specks
    SegmentationMetrics metrics = SegmentationMetrics.withDefaultTolerance();
    PixelSpacing spacing = new PixelSpacing(2.2, 2.4);
    double sink = 0;
    for (int i = 0; i < 3000; i++) { // warm-up: let the JIT compile
      sink += metrics.evaluate(predicted.pixels, label.pixels, 128, 128, spacing, true).size();
    }
    int runs = 3000;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpuStart = threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    for (int i = 0; i < runs; i++) {
      sink += metrics.evaluate(predicted.pixels, label.pixels, 128, 128, spacing, true).size();
    }
    double wallMicros = (System.nanoTime() - start) / 1e3 / runs;
    double cpuMicros = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e3 / runs;
    System.out.printf(
        Locale.ROOT,
        "SegmentationMetrics: %.1f µs CPU (%.1f µs wall) per 128×128 slice, 4 classes (%s)%n",
        cpuMicros,
        wallMicros,
        sink > 0 ? "ok" : "");
    List<ClassMetrics> shown =
        metrics.evaluate(predicted.pixels, label.pixels, 128, 128, spacing, false);
    shown.forEach(System.out::println);
    assertThat(shown).allSatisfy(m -> assertThat(m.dice()).isGreaterThan(0.5));
  }

  private static SegmentationMetrics metrics(double tau) {
    return new SegmentationMetrics(tau);
  }

  private static double nsd(
      double tau, Masks predicted, Masks label, int size, PixelSpacing spacing, int classId) {
    return new SegmentationMetrics(tau)
        .evaluateClass(predicted.pixels, label.pixels, size, size, spacing, classId)
        .nsd();
  }

  /**
   * {ASD, NSD, HD95} by definition, O(n²): boundary pixels by looking at the 4 neighbours, every
   * distance to every boundary pixel of the other mask. Null when a boundary is empty.
   */
  private static double[] bruteForceSurface(
      Masks predicted, Masks label, PixelSpacing s, double tau, int classId) {
    List<int[]> p = boundary(predicted, classId);
    List<int[]> g = boundary(label, classId);
    if (p.isEmpty() || g.isEmpty()) {
      return null;
    }
    double[] pg = nearest(p, g, s);
    double[] gp = nearest(g, p, s);
    double sum = 0;
    int within = 0;
    for (double d : pg) {
      sum += d;
      within += d <= tau * (1 + 1e-9) ? 1 : 0;
    }
    for (double d : gp) {
      sum += d;
      within += d <= tau * (1 + 1e-9) ? 1 : 0;
    }
    int n = pg.length + gp.length;
    double hd95 = Math.max(numpyPercentile95(pg), numpyPercentile95(gp));
    return new double[] {sum / n, (double) within / n, hd95};
  }

  private static List<int[]> boundary(Masks m, int classId) {
    List<int[]> points = new ArrayList<>();
    int[][] neighbours = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};
    for (int y = 0; y < m.height; y++) {
      for (int x = 0; x < m.width; x++) {
        if (m.pixels[y * m.width + x] != classId) {
          continue;
        }
        boolean edge = false;
        for (int[] d : neighbours) {
          int nx = x + d[0];
          int ny = y + d[1];
          boolean outside = nx < 0 || ny < 0 || nx >= m.width || ny >= m.height;
          edge |= outside || m.pixels[ny * m.width + nx] != classId;
        }
        if (edge) {
          points.add(new int[] {x, y});
        }
      }
    }
    return points;
  }

  private static double[] nearest(List<int[]> from, List<int[]> to, PixelSpacing s) {
    double[] d = new double[from.size()];
    for (int i = 0; i < d.length; i++) {
      double best = Double.POSITIVE_INFINITY;
      for (int[] q : to) {
        best =
            Math.min(
                best,
                Math.hypot(
                    (from.get(i)[0] - q[0]) * s.columnMm(), (from.get(i)[1] - q[1]) * s.rowMm()));
      }
      d[i] = best;
    }
    return d;
  }

  private static double numpyPercentile95(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    double rank = 0.95 * (sorted.length - 1);
    int lo = (int) rank;
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] * (1 - (rank - lo)) + sorted[hi] * (rank - lo);
  }
}
