package io.spineflow.cli.studies;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.imaging.labels.LabelCoverage;
import io.spineflow.imaging.labels.SliceLabelScope;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabelledSpanTest {
  private static final int W = 4;
  private static final int H = 20;

  /** A slice with {@code value} on each of {@code rows}. */
  private static byte[] slice(int value, int... rows) {
    byte[] label = new byte[W * H];
    for (int row : rows) {
      label[row * W + 1] = (byte) value;
    }
    return label;
  }

  @Test
  void spansTheDeclaredClassesOverEverySlice() {
    LabelCoverage discs = LabelCoverage.parse("discs", null);
    List<byte[]> labels = List.of(slice(3, 6), slice(0), slice(3, 9, 11), slice(1, 0, 19));

    SliceLabelScope scope = LabelledSpan.scope(discs, labels, W, H, 1.0);

    // Rows 6..11 from discs on two slices; the vertebra on rows 0 and 19 is not declared.
    assertThat(scope.firstRow()).isEqualTo(6);
    assertThat(scope.lastRow()).isEqualTo(11);
    assertThat(scope.classes()).isEqualTo(discs.classes());
  }

  @Test
  void theMarginGrowsByWholeRowsAndIsClipped() {
    LabelCoverage discs = LabelCoverage.parse("discs", "labelled-span+5mm");

    SliceLabelScope scope = LabelledSpan.scope(discs, List.of(slice(3, 2, 15)), W, H, 2.0);

    // 5 mm at 2 mm per row is 3 rows: 2-3 clipped to 0, 15+3 = 18.
    assertThat(scope.firstRow()).isZero();
    assertThat(scope.lastRow()).isEqualTo(18);
  }

  @Test
  void wholeImageIsEveryRowAndNoLabelledPixelIsNoRow() {
    assertThat(
            LabelledSpan.scope(
                LabelCoverage.parse("discs", "whole-image"), List.of(slice(0)), W, H, 1.0))
        .isEqualTo(SliceLabelScope.wholeImage(LabelCoverage.parse("discs", "whole-image")));

    SliceLabelScope none =
        LabelledSpan.scope(LabelCoverage.parse("discs", null), List.of(slice(0)), W, H, 1.0);
    assertThat(none.lastRow()).isLessThan(none.firstRow());
  }
}
