package io.spineflow.imaging.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spineflow.imaging.metrics.SpineClass;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class LabelCoverageTest {

  @Test
  void allOrNothingDeclaredIsTheCompleteLabel() {
    assertThat(LabelCoverage.parse(null, null)).isEqualTo(LabelCoverage.COMPLETE);
    assertThat(LabelCoverage.parse(" ALL ", "")).isEqualTo(LabelCoverage.COMPLETE);
    assertThat(LabelCoverage.parse("vertebrae,canal,discs", "whole-image").complete()).isTrue();
    assertThat(LabelCoverage.COMPLETE.classesDeclaration()).isEqualTo("all");
  }

  @Test
  void aSubsetWithoutExtentIsTrustedOverItsSpanOnly() {
    LabelCoverage discs = LabelCoverage.parse("discs", null);
    assertThat(discs.classes()).containsExactly(LabelledStructure.DISCS);
    assertThat(discs.extent()).isEqualTo(LabelExtent.LABELLED_SPAN);
    assertThat(discs.complete()).isFalse();
    assertThat(LabelCoverage.parse("discs", "whole-image").extent())
        .isEqualTo(LabelExtent.WHOLE_IMAGE);
  }

  @Test
  void parsesMarginsAndRoundTripsTheDeclarations() {
    LabelCoverage c = LabelCoverage.parse("Vertebral_Bodies; canal", "labelled-span+12.5mm");
    assertThat(c.classes())
        .isEqualTo(EnumSet.of(LabelledStructure.VERTEBRAL_BODIES, LabelledStructure.CANAL));
    assertThat(c.marginMm()).isEqualTo(12.5);
    assertThat(LabelCoverage.parse(c.classesDeclaration(), c.extentDeclaration())).isEqualTo(c);
    assertThat(c.extentDeclaration()).isEqualTo("labelled-span+12.5mm");
    assertThat(LabelCoverage.parse("discs", "labelled-span+10mm").extentDeclaration())
        .isEqualTo("labelled-span+10mm");
  }

  @Test
  void bodiesOnlyDoNotCompletelyLabelTheVertebraClass() {
    LabelCoverage bodies = LabelCoverage.parse("vertebral-bodies", null);
    assertThat(bodies.completelyLabels(SpineClass.VERTEBRAE)).isFalse();
    assertThat(LabelCoverage.parse("vertebrae", null).completelyLabels(SpineClass.VERTEBRAE))
        .isTrue();
  }

  @Test
  void rejectionsNameWhatIsAccepted() {
    assertThatThrownBy(() -> LabelCoverage.parse("discs,ribs", null))
        .hasMessageContaining("'ribs'")
        .hasMessageContaining("vertebral-bodies");
    assertThatThrownBy(() -> LabelCoverage.parse("discs", "halfway"))
        .hasMessageContaining("'halfway'")
        .hasMessageContaining("labelled-span");
    assertThatThrownBy(() -> LabelCoverage.parse("discs", "labelled-span+tenmm"))
        .hasMessageContaining("not a number");
    assertThatThrownBy(() -> LabelCoverage.parse("discs", "labelled-span+900mm"))
        .hasMessageContaining("0..200 mm");
    assertThatThrownBy(() -> LabelCoverage.parse("vertebrae,vertebral-bodies", null))
        .hasMessageContaining("exclude each other");
    assertThatThrownBy(() -> LabelCoverage.parse(",", null)).hasMessageContaining("at least one");
  }
}
