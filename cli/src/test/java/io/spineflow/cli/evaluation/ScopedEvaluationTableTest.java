package io.spineflow.cli.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.spineflow.imaging.labels.LabelCoverage;
import io.spineflow.imaging.labels.SliceLabelScope;
import io.spineflow.imaging.metrics.PixelSpacing;
import io.spineflow.imaging.metrics.ScopedMetrics;
import io.spineflow.imaging.metrics.SegmentationMetrics;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScopedEvaluationTableTest {
  private static final SliceLabelScope DISCS =
      SliceLabelScope.wholeImage(LabelCoverage.parse("discs", "whole-image"));
  private static final SliceLabelScope BODIES =
      SliceLabelScope.wholeImage(LabelCoverage.parse("vertebral-bodies", "whole-image"));

  private final SegmentationMetrics metrics = SegmentationMetrics.withDefaultTolerance();

  /** A 4×4 slice: {@code p} and {@code g} as 16-character strings of class digits. */
  private ScopedMetrics slice(String p, String g, SliceLabelScope scope) {
    return metrics.evaluate(bytes(p), bytes(g), 4, 4, PixelSpacing.isotropic(1), scope);
  }

  private static byte[] bytes(String s) {
    byte[] b = new byte[s.length()];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (s.charAt(i) - '0');
    }
    return b;
  }

  @Test
  void scoresOnlyLabelledClassesOnSlicesWithALabelledOrPredictedStructure() {
    ScopedEvaluationTable table = new ScopedEvaluationTable();

    // Half the discs found; the predicted vertebrae are not labelled, so not scored.
    assertThat(table.add("IVD", "a", slice("3300110000000000", "3333000000000000", DISCS)))
        .isTrue();
    // Neither label nor prediction has a disc: nothing to score (a vertebra predicted is unknown).
    assertThat(table.add("IVD", "a", slice("1111000000000000", "0000000000000000", DISCS)))
        .isFalse();
    // A disc predicted where none is labelled: a false positive, Dice 0.
    assertThat(table.add("IVD", "b", slice("3000000000000000", "0000000000000000", DISCS)))
        .isTrue();

    List<ScoreRow> rows = table.rows();
    assertThat(rows).hasSize(1);
    ScoreRow discs = rows.get(0);
    assertThat(discs.set()).isEqualTo("IVD");
    assertThat(discs.structure()).isEqualTo("IVDs");
    assertThat(discs.slices()).isEqualTo(2);
    assertThat(discs.metrics())
        .containsOnlyKeys(
            ScopedMetric.DICE, ScopedMetric.IOU, ScopedMetric.PRECISION, ScopedMetric.RECALL);
    assertThat(discs.metrics().get(ScopedMetric.DICE).mean()).isCloseTo(1 / 3.0, within(1e-9));
    assertThat(discs.metrics().get(ScopedMetric.RECALL).mean()).isCloseTo(0.25, within(1e-9));
    assertThat(table.slices("IVD")).isEqualTo(2);
    assertThat(table.studies("IVD")).isEqualTo(2);
    assertThat(table.toMarkdown())
        .contains("| IVD | 2 | 2 |")
        .contains("| IVD | IVDs | 2 | 0.3333 ± 0.4714 |")
        .doesNotContain("Vertebrae")
        .doesNotContain("Spinal canal")
        .doesNotContain("Body recall");
  }

  @Test
  void bodiesOnlyLabelsGetBodyRecallAndAreaRatioPerStudyOverSummedAreas() {
    ScopedEvaluationTable table = new ScopedEvaluationTable();
    // Study x: 6 body pixels over two slices, 8 painted vertebra, 4 of them on bodies.
    table.add("VB", "x", slice("1111111100000000", "1111000000000000", BODIES));
    table.add("VB", "x", slice("0000000000000000", "0000000000000011", BODIES));
    // Study y: 4 body pixels, 4 painted, 2 on bodies.
    table.add("VB", "y", slice("1100110000000000", "1111000000000000", BODIES));

    ScoreRow bodies = table.rows().get(0);

    assertThat(table.rows()).hasSize(1);
    assertThat(bodies.structure()).isEqualTo(ScopedEvaluationTable.BODIES);
    assertThat(bodies.slices()).isEqualTo(3);
    assertThat(bodies.metrics())
        .containsOnlyKeys(ScopedMetric.BODY_RECALL, ScopedMetric.AREA_RATIO);
    assertThat(bodies.metrics().get(ScopedMetric.BODY_RECALL).mean())
        .isCloseTo((4 / 6.0 + 0.5) / 2, within(1e-9));
    assertThat(bodies.metrics().get(ScopedMetric.BODY_RECALL).count()).isEqualTo(2);
    assertThat(bodies.metrics().get(ScopedMetric.AREA_RATIO).mean())
        .isCloseTo((8 / 6.0 + 1) / 2, within(1e-9));
    assertThat(table.toMarkdown()).contains("Body recall").contains("(n=2)");
  }

  @Test
  void severalSetsArePooledAndRenderedAsJson() throws Exception {
    ScopedEvaluationTable table = new ScopedEvaluationTable();
    table.add("IVD", "a", slice("3333000000000000", "3333000000000000", DISCS));
    table.add("VB", "x", slice("1111000000000000", "1111000000000000", BODIES));

    assertThat(table.sets()).containsExactly("IVD", "VB", ScopedEvaluationTable.POOLED);
    assertThat(table.slices(ScopedEvaluationTable.POOLED)).isEqualTo(2);
    assertThat(table.rows())
        .extracting(ScoreRow::key)
        .containsExactly(
            "IVD\tIVDs", "VB\tVertebral bodies", "pooled\tIVDs", "pooled\tVertebral bodies");
    String json = new ObjectMapper().writeValueAsString(table.toJsonTree(new ObjectMapper()));
    assertThat(json).contains("\"bodyRecall\"").contains("\"IVD\":{\"studies\":1,\"slices\":1}");
  }
}
