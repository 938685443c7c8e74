package io.spineflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link DriftEvaluator#replay}: the drift monitor's cadence (reference, minimum window, every N
 * slices, sliding window) applied to a recorded stream of signal vectors.
 */
class DriftReplayTest {
  private static final DriftRules RULES = DriftRules.DEFAULTS;

  /** {@code n} vectors drawn independently; signals 0..shifted-1 moved by {@code shift} SDs. */
  private static List<double[]> rows(long seed, int n, int shifted, double shift) {
    SplittableRandom random = new SplittableRandom(seed);
    List<double[]> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] row = new double[QualitySignals.COUNT];
      for (int s = 0; s < row.length; s++) {
        double gaussian =
            Math.sqrt(-2 * Math.log(1 - random.nextDouble()))
                * Math.cos(2 * Math.PI * random.nextDouble());
        row[s] = 0.5 + 0.1 * gaussian + (s < shifted ? 0.1 * shift : 0);
      }
      rows.add(row);
    }
    return rows;
  }

  @Test
  void evaluatesOnTheMonitorsCadenceWithASlidingWindow() {
    List<double[]> stream = rows(1, 650, 0, 0);

    List<LabelFreeEvaluation> evaluations = DriftEvaluator.replay(RULES, stream);

    // First at reference + minimum window (400), then every 10 slices up to 650.
    assertThat(evaluations).hasSize(26);
    assertThat(evaluations.get(0).observations()).isEqualTo(400);
    assertThat(evaluations.get(0).windowSize()).isEqualTo(200);
    assertThat(evaluations.get(25).observations()).isEqualTo(650);
    assertThat(evaluations.get(25).windowSize()).isEqualTo(300);
    assertThat(evaluations).allMatch(e -> e.referenceSize() == 200);
    assertThat(RULES.labelFreeDueAt(399)).isFalse();
    assertThat(RULES.labelFreeDueAt(405)).isFalse();
    assertThat(RULES.windowStart(650)).isEqualTo(350);
  }

  @Test
  void sameDistributionStaysQuietAndAShiftFiresAtTheFirstEvaluation() {
    List<double[]> quiet = rows(2, 700, 0, 0);
    List<double[]> shifted = new ArrayList<>(rows(3, 200, 0, 0));
    shifted.addAll(rows(4, 300, 5, 2.0));

    assertThat(DriftEvaluator.replay(RULES, quiet)).noneMatch(LabelFreeEvaluation::firing);
    List<LabelFreeEvaluation> fired = DriftEvaluator.replay(RULES, shifted);
    assertThat(fired).isNotEmpty().allMatch(LabelFreeEvaluation::firing);
    assertThat(fired.get(0).drifted()).isEqualTo(5);
  }

  @Test
  void aStreamShorterThanTheReferenceHasNoEvaluation() {
    assertThat(DriftEvaluator.replay(RULES, rows(5, 199, 0, 0))).isEmpty();
    assertThat(DriftEvaluator.replay(RULES, rows(5, 399, 0, 0))).isEmpty();
  }
}
