package io.spineflow.imaging.labels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Set;
import org.junit.jupiter.api.Test;

class AnatomicalPriorsTest {
  private static final int W = 64;
  private static final int H = 64;
  private static final int BG = 1;
  private static final int VERT = 1 << 1;
  private static final int CANAL = 1 << 2;
  private static final int DISC = 1 << 3;
  private static final SliceLabelScope BODIES =
      new SliceLabelScope(Set.of(LabelledStructure.VERTEBRAL_BODIES), 0, H - 1);
  private static final SliceLabelScope DISCS =
      new SliceLabelScope(Set.of(LabelledStructure.DISCS), 0, H - 1);

  /** 1 mm pixels, 2 mm in front, 10 mm behind, 4 rows at least. */
  private final AnatomicalPriors priors = new AnatomicalPriors(2, 10, 4);

  private static byte[] boxes(int value, int[][] rowRanges, int firstCol, int lastCol) {
    byte[] labels = new byte[W * H];
    for (int[] rows : rowRanges) {
      for (int r = rows[0]; r <= rows[1]; r++) {
        for (int c = firstCol; c <= lastCol; c++) {
          labels[r * W + c] = (byte) value;
        }
      }
    }
    return labels;
  }

  private static int allowed(SliceLabelScope scope, byte[] labels, int row, int col) {
    return scope.allowedClasses(labels[row * W + col], row);
  }

  @Test
  void bodiesOnlyGiveBackgroundInFrontAndFarBehindAndNoVertebraBetweenBodies() {
    // two bodies, columns 20..35, rows 10..24 and 30..44: a 5-row disc gap
    byte[] labels = boxes(1, new int[][] {{10, 24}, {30, 44}}, 20, 35);
    byte[] out = priors.apply(labels, W, H, 1.0, BODIES);

    assertEquals(BG, allowed(BODIES, out, 15, 10), "in front of a body");
    assertEquals(BG, allowed(BODIES, out, 27, 5), "in front of the disc gap");
    assertEquals(SliceLabelScope.ANY_CLASS, allowed(BODIES, out, 15, 19), "within the margin");
    assertEquals(SliceLabelScope.ANY_CLASS, allowed(BODIES, out, 15, 45), "posterior elements");
    assertEquals(BG, allowed(BODIES, out, 15, 50), "beyond the posterior reach");
    assertEquals(BG | DISC, allowed(BODIES, out, 27, 28), "between the bodies");
    assertEquals(VERT, allowed(BODIES, out, 15, 28), "the body as drawn");
    assertEquals(SliceLabelScope.ANY_CLASS, allowed(BODIES, out, 5, 10), "above the first body");
    assertEquals(SliceLabelScope.ANY_CLASS, allowed(BODIES, out, 50, 10), "below the last body");
  }

  @Test
  void discsOnlyGiveTheBodyBetweenTwoDiscs() {
    // discs at rows 10..14 and 40..44, columns 20..35: a 25-row body between them
    byte[] labels = boxes(3, new int[][] {{10, 14}, {40, 44}}, 20, 35);
    byte[] out = priors.apply(labels, W, H, 1.0, DISCS);

    assertEquals(VERT, allowed(DISCS, out, 27, 28), "mid-body");
    assertEquals(BG | VERT | CANAL, allowed(DISCS, out, 15, 28), "next to a disc: not a disc");
    assertEquals(BG | VERT | CANAL, allowed(DISCS, out, 27, 21), "at the body's edge");
    assertEquals(BG, allowed(DISCS, out, 27, 10), "in front of the body");
    assertEquals(DISC, allowed(DISCS, out, 12, 28), "the disc as drawn");
  }

  @Test
  void aGapTallerThanABodyOrADiscSaysNothing() {
    // bodies 30 rows apart: a missing body, not a disc
    byte[] labels = boxes(1, new int[][] {{0, 9}, {40, 49}}, 20, 35);
    byte[] out = priors.apply(labels, W, H, 1.0, BODIES);
    assertEquals(SliceLabelScope.ANY_CLASS, allowed(BODIES, out, 25, 28));
    assertEquals(SliceLabelScope.ANY_CLASS, allowed(BODIES, out, 25, 5));
    assertEquals(BG, allowed(BODIES, out, 5, 5), "rows a body crosses still count");
  }

  @Test
  void completeLabelsAndSmallStructuresAreLeftAlone() {
    byte[] labels = boxes(1, new int[][] {{10, 24}, {30, 44}}, 20, 35);
    assertSame(labels, priors.apply(labels, W, H, 1.0, SliceLabelScope.COMPLETE));
    byte[] sliver = boxes(1, new int[][] {{10, 11}}, 20, 35);
    assertSame(sliver, priors.apply(sliver, W, H, 1.0, BODIES));
  }

  @Test
  void rowsOutsideTheExtentStayUnknown() {
    SliceLabelScope upper = new SliceLabelScope(Set.of(LabelledStructure.VERTEBRAL_BODIES), 0, 26);
    byte[] labels = boxes(1, new int[][] {{10, 24}, {30, 44}}, 20, 35);
    byte[] out = priors.apply(labels, W, H, 1.0, upper);
    assertEquals(BG, allowed(upper, out, 15, 5));
    assertEquals(SliceLabelScope.ANY_CLASS, allowed(upper, out, 35, 5));
    assertArrayEquals(
        java.util.Arrays.copyOfRange(labels, 27 * W, H * W),
        java.util.Arrays.copyOfRange(out, 27 * W, H * W));
  }

  @Test
  void restrictedValuesAreTheirOwnBitSetAndUnknownIsEveryClass() {
    assertEquals(BG | DISC, BODIES.allowedClasses(SliceLabelScope.restricted(BG | DISC), 3));
    assertEquals(SliceLabelScope.ANY_CLASS, BODIES.allowedClasses(SliceLabelScope.UNKNOWN, 3));
    assertEquals(
        SliceLabelScope.ANY_CLASS,
        new SliceLabelScope(Set.of(LabelledStructure.DISCS), 5, 9)
            .allowedClasses(SliceLabelScope.restricted(BG), 3),
        "outside the extent nothing is known");
  }
}
