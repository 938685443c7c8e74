package io.spineflow.imaging.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.spineflow.imaging.labels.LabelledStructure;
import io.spineflow.imaging.labels.SliceLabelScope;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScopedMetricsTest {
  private final SegmentationMetrics metrics = SegmentationMetrics.withDefaultTolerance();
  private final PixelSpacing spacing = PixelSpacing.isotropic(1.0);

  // 4×4: row 0 a disc above the extent (unlabelled there), rows 1-2 a labelled disc, row 3 empty.
  private static final byte[] LABEL = {
    0, 0, 0, 0, //
    0, 3, 3, 0, //
    0, 3, 3, 0, //
    0, 0, 0, 0
  };
  private static final byte[] PREDICTED = {
    3, 3, 3, 3, // a disc the label does not cover: outside the extent
    1, 3, 3, 1, // vertebra where the label is 0: unknown for a disc-only label
    0, 3, 0, 0,
    2, 2, 0, 0
  };

  @Test
  void onlyLabelledClassesInsideTheExtentAreScored() {
    SliceLabelScope discs = new SliceLabelScope(Set.of(LabelledStructure.DISCS), 1, 3);
    ScopedMetrics scored = metrics.evaluate(PREDICTED, LABEL, 4, 4, spacing, discs);

    assertThat(scored.classes())
        .extracting(ClassMetrics::spineClass)
        .containsExactly(SpineClass.DISCS);
    ClassMetrics disc = scored.classes().get(0);
    // Rows 1..3: 4 labelled, 3 predicted, 3 in both; row 0's false positives are not counted.
    assertThat(disc.labelPixels()).isEqualTo(4);
    assertThat(disc.predictedPixels()).isEqualTo(3);
    assertThat(disc.dice()).isCloseTo(6.0 / 7.0, within(1e-12));
    assertThat(scored.bodies()).isEmpty();
  }

  @Test
  void bodiesOnlyAreScoredByRecallAndAreaRatio() {
    byte[] label = {0, 1, 1, 0, 0, 1, 1, 0};
    byte[] predicted = {1, 1, 1, 1, 1, 1, 0, 1};
    SliceLabelScope bodies =
        new SliceLabelScope(Set.of(LabelledStructure.VERTEBRAL_BODIES), 0, Integer.MAX_VALUE);
    ScopedMetrics scored = metrics.evaluate(predicted, label, 4, 2, spacing, bodies);

    assertThat(scored.classes()).isEmpty();
    BodyCoverage coverage = scored.bodies().orElseThrow();
    assertThat(coverage.recall()).isEqualTo(0.75);
    assertThat(coverage.areaRatio()).isEqualTo(7.0 / 4.0);
  }

  @Test
  void aCompleteScopeScoresAsBefore() {
    ScopedMetrics scored =
        metrics.evaluate(PREDICTED, LABEL, 4, 4, spacing, SliceLabelScope.COMPLETE);
    assertThat(scored.classes())
        .isEqualTo(metrics.evaluate(PREDICTED, LABEL, 4, 4, spacing, false));
  }

  @Test
  void noRowInsideTheExtentScoresNothing() {
    SliceLabelScope none = new SliceLabelScope(Set.of(LabelledStructure.DISCS), 9, 12);
    ScopedMetrics scored = metrics.evaluate(PREDICTED, LABEL, 4, 4, spacing, none);
    assertThat(scored.classes()).isEmpty();
    assertThat(scored.bodies()).isEmpty();
  }
}
