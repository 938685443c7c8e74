package io.spineflow.cli.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.spineflow.imaging.labels.LabelCoverage;
import io.spineflow.imaging.labels.SliceLabelScope;
import io.spineflow.imaging.metrics.MetricSummary;
import io.spineflow.imaging.metrics.PixelSpacing;
import io.spineflow.imaging.metrics.SegmentationMetrics;
import org.junit.jupiter.api.Test;

class FoldSummaryTest {
  private static final SliceLabelScope DISCS =
      SliceLabelScope.wholeImage(LabelCoverage.parse("discs", "whole-image"));

  /** A fold whose one slice has Dice {@code 2·found/(4+found)}: 4 labelled disc pixels. */
  private static ScopedEvaluationTable fold(int found) {
    byte[] label = new byte[16];
    byte[] predicted = new byte[16];
    for (int i = 0; i < 4; i++) {
      label[i] = 3;
      predicted[i] = (byte) (i < found ? 3 : 0);
    }
    ScopedEvaluationTable table = new ScopedEvaluationTable();
    table.add(
        "IVD",
        "s" + found,
        SegmentationMetrics.withDefaultTolerance()
            .evaluate(predicted, label, 4, 4, PixelSpacing.isotropic(1), DISCS));
    return table;
  }

  @Test
  void meanAndSampleSdOfTheFoldMeans() {
    FoldSummary summary = new FoldSummary();
    summary.add(fold(4)); // recall 1
    summary.add(fold(2)); // recall 0.5
    summary.add(fold(0)); // recall 0

    assertThat(summary.folds()).isEqualTo(3);
    assertThat(summary.rows()).hasSize(1);
    ScoreRow row = summary.rows().get(0);
    assertThat(row.slices()).isEqualTo(3);
    MetricSummary recall = row.metrics().get(ScopedMetric.RECALL);
    assertThat(recall.mean()).isCloseTo(0.5, within(1e-12));
    assertThat(recall.sd()).isCloseTo(0.5, within(1e-12));
    assertThat(recall.count()).isEqualTo(3);
    assertThat(summary.toMarkdown())
        .contains("| Set | Structure | Slices (all folds) |")
        .contains("| IVD | IVDs | 3 |")
        .contains("0.5000 ± 0.5000")
        .contains("over 3 folds");
  }

  @Test
  void aRowMissingFromAFoldCountsOnlyTheFoldsItIsIn() {
    FoldSummary summary = new FoldSummary();
    summary.add(fold(4));
    summary.add(new ScopedEvaluationTable());

    assertThat(summary.rows().get(0).metrics().get(ScopedMetric.DICE).count()).isEqualTo(1);
    assertThat(summary.toMarkdown()).contains("1.0000 (n=1)");
  }
}
