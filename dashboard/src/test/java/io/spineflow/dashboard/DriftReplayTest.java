package io.spineflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
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

  /**
   * {@code studies} studies of {@code slices} slices each: every study its own level per signal (SD
   * 0.1 between studies), its slices close to it (SD 0.01), as real studies' slices are; the first
   * {@code shifted} signals moved by {@code shift}. Each row ends with its study key.
   */
  private static List<double[]> studies(
      long seed, int first, int studies, int slices, int shifted, double shift) {
    SplittableRandom random = new SplittableRandom(seed);
    List<double[]> rows = new ArrayList<>();
    for (int study = first; study < first + studies; study++) {
      double[] level = new double[QualitySignals.COUNT];
      for (int s = 0; s < level.length; s++) {
        level[s] = 0.5 + 0.1 * gaussian(random) + (s < shifted ? shift : 0);
      }
      for (int i = 0; i < slices; i++) {
        double[] row = new double[QualitySignals.COUNT + 1];
        for (int s = 0; s < level.length; s++) {
          row[s] = level[s] + 0.01 * gaussian(random);
        }
        row[QualitySignals.STUDY_COLUMN] = QualitySignals.studyKey("study-" + study);
        rows.add(row);
      }
    }
    return rows;
  }

  private static double gaussian(SplittableRandom random) {
    return Math.sqrt(-2 * Math.log(1 - random.nextDouble()))
        * Math.cos(2 * Math.PI * random.nextDouble());
  }

  private static List<double[]> withoutStudyKeys(List<double[]> rows) {
    return rows.stream().map(r -> Arrays.copyOf(r, QualitySignals.COUNT)).toList();
  }

  @Test
  void slicesOfTheSameStudiesAreNotTakenForIndependentEvidence() {
    // 40 unshifted studies of 30 slices: the reference holds about 7 of them, the window 10.
    List<double[]> stream = studies(11, 0, 40, 30, 0, 0);

    assertThat(DriftEvaluator.replay(RULES, withoutStudyKeys(stream)))
        .as("counting slices, different studies look like drift")
        .anyMatch(LabelFreeEvaluation::firing);
    assertThat(DriftEvaluator.replay(RULES, stream))
        .as("counting studies, they do not")
        .noneMatch(LabelFreeEvaluation::firing);
  }

  @Test
  void aShiftAcrossStudiesStillFiresWhenStudiesAreCounted() {
    // The reference is exactly 10 whole studies (200 slices), the window 10 to 15 shifted ones.
    List<double[]> stream = new ArrayList<>(studies(12, 0, 10, 20, 0, 0));
    stream.addAll(studies(13, 100, 15, 20, 5, 0.6));

    List<LabelFreeEvaluation> evaluations = DriftEvaluator.replay(RULES, stream);

    assertThat(evaluations).isNotEmpty().allMatch(LabelFreeEvaluation::firing);
    assertThat(evaluations.get(0).drifted()).isEqualTo(5);
  }

  @Test
  void studyMeansPerSignalAndRowsWithoutAKeyCountAlone() {
    double[] a1 = new double[QualitySignals.COUNT + 1];
    double[] a2 = a1.clone();
    a1[0] = 1;
    a2[0] = 3;
    double[] b = new double[QualitySignals.COUNT + 1];
    b[0] = 10;
    b[QualitySignals.STUDY_COLUMN] = QualitySignals.studyKey("other");
    double[] absent = a1.clone();
    absent[0] = Double.NaN;
    double[] unkeyed = new double[QualitySignals.COUNT];
    unkeyed[0] = 7;

    double[][] rows = {a1, a2, b, absent, unkeyed, unkeyed.clone()};

    assertThat(DriftEvaluator.studyMeans(rows, 0)).containsExactlyInAnyOrder(2, 10, 7, 7);
    double[][] onlyAbsent = {absent};
    assertThat(DriftEvaluator.studyMeans(onlyAbsent, 0)).isEmpty();
    assertThat(DriftEvaluator.perStudyKs(onlyAbsent, rows, 0)).isNull();
  }

  @Test
  void aStreamShorterThanTheReferenceHasNoEvaluation() {
    assertThat(DriftEvaluator.replay(RULES, rows(5, 199, 0, 0))).isEmpty();
    assertThat(DriftEvaluator.replay(RULES, rows(5, 399, 0, 0))).isEmpty();
  }
}
