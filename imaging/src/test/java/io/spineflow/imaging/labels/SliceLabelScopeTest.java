package io.spineflow.imaging.labels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class SliceLabelScopeTest {
  private static final int BG = 1;
  private static final int VERT = 1 << 1;
  private static final int CANAL = 1 << 2;
  private static final int DISC = 1 << 3;

  @Test
  void aCompleteLabelAllowsExactlyTheLabelledClass() {
    SliceLabelScope all = SliceLabelScope.COMPLETE;
    assertThat(all.allowedClasses(0, 5)).isEqualTo(BG);
    assertThat(all.allowedClasses(3, 5)).isEqualTo(DISC);
    assertThat(all.complete(128)).isTrue();
  }

  @Test
  void aZeroInADiscOnlyLabelMayBeAnythingButADisc() {
    SliceLabelScope discs = new SliceLabelScope(Set.of(LabelledStructure.DISCS), 10, 20);
    assertThat(discs.allowedClasses(0, 15)).isEqualTo(BG | VERT | CANAL);
    assertThat(discs.allowedClasses(3, 15)).isEqualTo(DISC);
    assertThat(discs.allowedClasses(0, 9)).isEqualTo(SliceLabelScope.ANY_CLASS);
    assertThat(discs.allowedClasses(3, 21)).isEqualTo(SliceLabelScope.ANY_CLASS);
    assertThat(discs.complete(128)).isFalse();
  }

  @Test
  void aZeroInABodiesOnlyLabelMayStillBeVertebra() {
    SliceLabelScope bodies =
        SliceLabelScope.wholeImage(LabelCoverage.parse("vertebral-bodies", "whole-image"));
    assertThat(bodies.bodiesOnly()).isTrue();
    assertThat(bodies.allowedClasses(1, 0)).isEqualTo(VERT);
    assertThat(bodies.allowedClasses(0, 0)).isEqualTo(SliceLabelScope.ANY_CLASS);
    SliceLabelScope bodiesAndDiscs =
        SliceLabelScope.wholeImage(LabelCoverage.parse("vertebral-bodies,discs", "whole-image"));
    assertThat(bodiesAndDiscs.allowedClasses(0, 0)).isEqualTo(BG | VERT | CANAL);
  }

  @Test
  void theUnknownValueAndTheExtentWrittenIntoTheLabel() {
    SliceLabelScope discs = new SliceLabelScope(Set.of(LabelledStructure.DISCS), 1, 1);
    byte[] labels = {3, 0, 0, 3, 3, 0};
    byte[] baked = discs.withExtentInLabel(labels, 2, 3);
    assertThat(baked)
        .containsExactly(
            SliceLabelScope.UNKNOWN,
            SliceLabelScope.UNKNOWN,
            0,
            3,
            SliceLabelScope.UNKNOWN,
            SliceLabelScope.UNKNOWN);
    assertThat(labels[0]).isEqualTo((byte) 3);
    SliceLabelScope unlimited = discs.withoutRowLimits();
    assertThat(unlimited.allowedClasses(baked, 2, 3))
        .containsExactly(
            (byte) SliceLabelScope.ANY_CLASS,
            (byte) SliceLabelScope.ANY_CLASS,
            (byte) (BG | VERT | CANAL),
            (byte) DISC,
            (byte) SliceLabelScope.ANY_CLASS,
            (byte) SliceLabelScope.ANY_CLASS);
  }
}
