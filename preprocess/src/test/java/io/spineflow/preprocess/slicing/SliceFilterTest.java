package io.spineflow.preprocess.slicing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Ahmed et al.'s two filters on constructed slices with known answers. */
class SliceFilterTest {
  private static final SliceFilter PAPER = new SliceFilter(true, true, 100);

  /** A 10 × 10 slice: rows of background, vertebrae, canal and discs in the given numbers. */
  private static byte[] slice(int background, int vertebrae, int canal, int discs) {
    byte[] label = new byte[background + vertebrae + canal + discs];
    int p = background;
    for (int i = 0; i < vertebrae; i++) {
      label[p++] = LabelMerge.VERTEBRAE;
    }
    for (int i = 0; i < canal; i++) {
      label[p++] = LabelMerge.CANAL;
    }
    for (int i = 0; i < discs; i++) {
      label[p++] = LabelMerge.DISCS;
    }
    return label;
  }

  private static ClassCounts counts(byte[] label) {
    int side = (int) Math.sqrt(label.length);
    return ClassCounts.of(label, SliceGrid.fit(side, side, 1, 1, side, side));
  }

  @Test
  void theImbalanceRatioIsTheLargestClassOverTheSmallest() {
    ClassCounts c = counts(slice(70, 20, 4, 6));
    assertThat(c).isEqualTo(new ClassCounts(70, 20, 4, 6));
    assertThat(c.imbalanceRatio()).isEqualTo(70.0 / 4);
    assertThat(counts(slice(25, 25, 25, 25)).imbalanceRatio()).isEqualTo(1.0);
    assertThat(counts(slice(90, 10, 0, 0)).imbalanceRatio()).isInfinite();
  }

  @Test
  void aSliceWithAllFourReasonablyBalancedClassesIsKept() {
    assertThat(PAPER.dropReason(counts(slice(70, 20, 4, 6)))).isEmpty();
  }

  @Test
  void aSliceLackingAnyClassIsDroppedAsMissingClass() {
    assertThat(PAPER.dropReason(counts(slice(80, 14, 0, 6)))).contains("MISSING_CLASS");
    assertThat(PAPER.dropReason(counts(slice(100, 0, 0, 0)))).contains("MISSING_CLASS");
    assertThat(PAPER.dropReason(counts(slice(0, 50, 25, 25)))).contains("MISSING_CLASS");
  }

  @Test
  void aSliceWhoseSmallestClassIsASliverIsDroppedAsImbalanced() {
    // 9 801 background pixels and a single canal pixel in a 100 × 100 slice: ratio 9 801.
    assertThat(PAPER.dropReason(counts(slice(9_801, 150, 1, 48)))).contains("IMBALANCED");
  }

  @Test
  void theLimitItselfIsKeptAndAnythingAboveIsDropped() {
    // 400 background / 4 canal = exactly 100.
    assertThat(PAPER.dropReason(new ClassCounts(400, 50, 4, 30))).isEmpty();
    assertThat(PAPER.dropReason(new ClassCounts(401, 50, 4, 30))).contains("IMBALANCED");
  }

  @Test
  void eachFilterCanBeSwitchedOff() {
    ClassCounts missing = new ClassCounts(90, 10, 0, 0);
    ClassCounts sliver = new ClassCounts(9_000, 500, 1, 400);
    SliceFilter none = new SliceFilter(false, false, 100);
    assertThat(none.dropReason(missing)).isEmpty();
    assertThat(none.dropReason(sliver)).isEmpty();
    SliceFilter onlyMissing = new SliceFilter(true, false, 100);
    assertThat(onlyMissing.dropReason(sliver)).isEmpty();
    assertThat(onlyMissing.dropReason(missing)).contains("MISSING_CLASS");
    // With only the ratio, a missing class is an infinite imbalance.
    SliceFilter onlyRatio = new SliceFilter(false, true, 100);
    assertThat(onlyRatio.dropReason(missing)).isEqualTo(Optional.of("IMBALANCED"));
  }

  @Test
  void paddingIsNotCounted() {
    // 4 rows of content centred in an 8-row output: the two padding rows top and bottom are 0
    // (background) and must not inflate the background count.
    SliceGrid grid = SliceGrid.fit(4, 8, 1, 1, 8, 8);
    assertThat(grid.contentHeight()).isEqualTo(4);
    byte[] label = new byte[64];
    for (int x = 0; x < 8; x++) {
      label[2 * 8 + x] = LabelMerge.VERTEBRAE;
      label[3 * 8 + x] = LabelMerge.CANAL;
      label[4 * 8 + x] = LabelMerge.DISCS;
    }
    assertThat(ClassCounts.of(label, grid)).isEqualTo(new ClassCounts(8, 8, 8, 8));
  }

  @Test
  void aLimitBelowOneIsRefusedBecauseEverySliceWouldBeDropped() {
    assertThatThrownBy(() -> new SliceFilter(true, true, 0.55))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(">= 1 by construction");
  }
}
