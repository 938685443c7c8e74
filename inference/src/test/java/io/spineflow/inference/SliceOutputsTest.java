package io.spineflow.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.spineflow.events.ClassMetrics;
import io.spineflow.events.LabelScope;
import io.spineflow.events.LabelledClass;
import io.spineflow.events.Sequence;
import io.spineflow.events.Slice;
import io.spineflow.imaging.metrics.PixelSpacing;
import io.spineflow.imaging.metrics.SegmentationMetrics;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The per-class metrics of {@link SliceOutputs#classMetrics}: complete labels as always, partial
 * labels only for the classes they label (undefined classes have no entry, never a 0).
 */
class SliceOutputsTest {
  private static final int W = 8;
  private static final int H = 8;
  private final SliceOutputs outputs = new SliceOutputs(2.0);

  /** Rows 0-1 vertebra (bodies), row 3 disc, row 5 canal. */
  private static byte[] label() {
    byte[] label = new byte[W * H];
    fill(label, 0, 1, 1);
    fill(label, 3, 3, 3);
    fill(label, 5, 5, 2);
    return label;
  }

  /**
   * Vertebra painted on rows 0-2 (bodies and "posterior elements"), discs on rows 3-4, no canal.
   */
  private static byte[] prediction() {
    byte[] predicted = new byte[W * H];
    fill(predicted, 0, 2, 1);
    fill(predicted, 3, 4, 3);
    return predicted;
  }

  @Test
  void aCompleteLabelScoresEveryClassBackgroundIncludedAsBefore() {
    List<ClassMetrics> metrics = outputs.classMetrics(slice(null), prediction());

    var expected =
        new SegmentationMetrics(2.0)
            .evaluate(prediction(), label(), W, H, new PixelSpacing(1, 1), true);
    assertThat(metrics).extracting(ClassMetrics::getClassIndex).containsExactly(0, 1, 2, 3);
    for (int c = 0; c < 4; c++) {
      assertThat(metrics.get(c).getDice()).isEqualTo(expected.get(c).dice());
      assertThat(metrics.get(c).getAreaRatio()).isNull();
    }
    assertThat(metrics.get(2).getDice()).as("a missed canal is a 0: it is labelled").isZero();
  }

  @Test
  void aScopeNamingEveryClassOnEveryRowIsAsComplete() {
    LabelScope all =
        scope(0, H - 1, LabelledClass.VERTEBRAE, LabelledClass.CANAL, LabelledClass.DISCS);

    assertThat(outputs.classMetrics(slice(all), prediction()))
        .isEqualTo(outputs.classMetrics(slice(null), prediction()));
  }

  @Test
  void aDiscOnlyLabelScoresTheDiscsAloneAndLeavesTheOthersUndefined() {
    List<ClassMetrics> metrics =
        outputs.classMetrics(slice(scope(0, H - 1, LabelledClass.DISCS)), prediction());

    assertThat(metrics).extracting(ClassMetrics::getClassIndex).containsExactly(3);
    assertThat(metrics.get(0).getDice()).isCloseTo(2.0 * 8 / (8 + 16), within(1e-12));
    assertThat(metrics.get(0).getPrecision()).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void pixelsOutsideTheLabelledRowsCountForNothing() {
    // Row 4, where the discs were over-painted, is outside the extent: unknown, not background.
    List<ClassMetrics> metrics =
        outputs.classMetrics(slice(scope(0, 3, LabelledClass.DISCS)), prediction());

    assertThat(metrics).extracting(ClassMetrics::getClassIndex).containsExactly(3);
    assertThat(metrics.get(0).getDice()).isEqualTo(1.0);
  }

  @Test
  void vertebralBodiesGetRecallAndAreaRatioButNoDice() {
    List<ClassMetrics> metrics =
        outputs.classMetrics(
            slice(scope(0, H - 1, LabelledClass.VERTEBRAL_BODIES, LabelledClass.DISCS)),
            prediction());

    assertThat(metrics).extracting(ClassMetrics::getClassIndex).containsExactly(1, 3);
    ClassMetrics vertebrae = metrics.get(0);
    assertThat(vertebrae.getClassName()).isEqualTo("Vertebrae");
    assertThat(vertebrae.getRecall()).isEqualTo(1.0);
    assertThat(vertebrae.getAreaRatio()).isCloseTo(24.0 / 16, within(1e-12));
    assertThat(
            List.of(
                nullable(vertebrae.getDice()),
                nullable(vertebrae.getIou()),
                nullable(vertebrae.getPrecision()),
                nullable(vertebrae.getF1()),
                nullable(vertebrae.getAsdMm()),
                nullable(vertebrae.getNsd()),
                nullable(vertebrae.getHd95Mm())))
        .containsOnly("null");
    assertThat(metrics.get(1).getDice()).isNotNull();
  }

  @Test
  void aLabelOfUnknownClassesOrWithoutRowsScoresNothing() {
    assertThat(outputs.classMetrics(slice(scope(0, H - 1, LabelledClass.OTHER)), prediction()))
        .isEmpty();
    assertThat(outputs.classMetrics(slice(scope(5, 4, LabelledClass.DISCS)), prediction()))
        .isEmpty();
  }

  private static String nullable(Double value) {
    return String.valueOf(value);
  }

  private static LabelScope scope(int firstRow, int lastRow, LabelledClass... classes) {
    return LabelScope.newBuilder()
        .setClasses(List.of(classes))
        .setFirstRow(firstRow)
        .setLastRow(lastRow)
        .build();
  }

  private static Slice slice(LabelScope scope) {
    return Slice.newBuilder()
        .setStudyUid("study")
        .setSliceIndex(0)
        .setSequence(Sequence.T2)
        .setWidth(W)
        .setHeight(H)
        .setPixels(ByteBuffer.allocate(W * H * 4))
        .setLabel(ByteBuffer.wrap(label()))
        .setLabelScope(scope)
        .setPixelSpacing(List.of(1.0, 1.0))
        .setSliceThickness(4.0)
        .setPixelToPhysical(List.of(1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0))
        .setSourceSliceIndex(0)
        .setSagittalAxis(0)
        .setStudyReceivedAt(Instant.EPOCH)
        .setPreprocessedAt(Instant.EPOCH)
        .build();
  }

  private static void fill(byte[] mask, int fromRow, int toRow, int value) {
    for (int i = fromRow * W; i < (toRow + 1) * W; i++) {
      mask[i] = (byte) value;
    }
  }
}
