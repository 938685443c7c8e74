package io.spineflow.imaging.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PlausibilityReportTest {
  private static final int CANAL = SpineClass.SPINAL_CANAL.id();
  private static final int VERTEBRA = SpineClass.VERTEBRAE.id();
  private static final int DISC = SpineClass.DISCS.id();

  @Test
  void schematicSpineIsPlausible() {
    PlausibilityReport r = assess(SpineSlices.spine(128, 128, 0));

    assertThat(r.canalConnected()).isTrue();
    assertThat(r.discsBetweenVertebrae()).isTrue();
    assertThat(r.vertebraeCountPlausible()).isTrue();
    assertThat(r.score()).isEqualTo(1.0);
    assertThat(r.canalComponents()).isEqualTo(1);
    assertThat(r.vertebraComponents()).isEqualTo(2 * SpineSlices.BODIES); // bodies + processes
    assertThat(r.discComponents()).isEqualTo(SpineSlices.BODIES);
    assertThat(r.checks())
        .containsExactly(
            java.util.Map.entry("canalConnected", true),
            java.util.Map.entry("discsBetweenVertebrae", true),
            java.util.Map.entry("vertebraeCountPlausible", true));
  }

  @Test
  void brokenCanalIsNotConnected() {
    Masks m = SpineSlices.spine(128, 128, 0).rect(40, 60, 47, 63, 0);

    PlausibilityReport r = assess(m);

    assertThat(r.canalConnected()).isFalse();
    assertThat(r.canalComponents()).isEqualTo(2);
    assertThat(r.score()).isEqualTo(2.0 / 3);
  }

  @Test
  void canalSpecksAreIgnoredAndDiagonalContactConnects() {
    Masks m = SpineSlices.spine(128, 128, 0);
    m.rect(100, 100, 101, 101, CANAL); // a 4-pixel speck, below the 8-pixel threshold
    m.rect(40, 60, 47, 60, 0); // cut the canal at row 60 ...
    m.pixel(40, 60, CANAL); // ... except for one pixel at the left ...
    m.pixel(40, 61, 0).pixel(41, 61, CANAL); // ... meeting the lower part diagonally only

    PlausibilityReport r = assess(m);

    assertThat(r.canalComponents()).isEqualTo(1);
    assertThat(r.canalConnected()).isTrue();
  }

  @Test
  void missingCanalIsNotConnected() {
    Masks m = SpineSlices.spine(128, 128, 0).rect(40, 0, 47, 127, 0);

    assertThat(assess(m).canalConnected()).isFalse();
  }

  @Test
  void discWithoutVertebraAboveIsImplausible() {
    // rows 1..3 above the first body (rows 5..20): nothing above the disc in its columns
    Masks m = SpineSlices.spine(128, 128, 0).rect(55, 1, 75, 3, DISC);

    PlausibilityReport r = assess(m);

    assertThat(r.discsBetweenVertebrae()).isFalse();
    assertThat(r.unsupportedDiscs()).isEqualTo(1);
    assertThat(r.score()).isEqualTo(2.0 / 3);
  }

  @Test
  void discCutByTheTopOfTheFieldOfViewIsExcused() {
    Masks m = SpineSlices.spine(128, 128, 0).rect(55, 0, 75, 3, DISC);

    assertThat(assess(m).discsBetweenVertebrae()).isTrue();
  }

  @Test
  void discInsideTheCanalRegionIsImplausible() {
    // beside the canal, where no vertebra lies above or below in those columns
    Masks m = SpineSlices.spine(128, 128, 0).rect(36, 40, 39, 45, DISC);

    PlausibilityReport r = assess(m);

    assertThat(r.discsBetweenVertebrae()).isFalse();
  }

  @Test
  void lowestDiscNeedsVertebraBelowWhenTheRulesSaySo() {
    PlausibilityRules strict = new PlausibilityRules(0.0005, 3, 18, 0.5, false);
    Masks spine = SpineSlices.spine(128, 128, 0);

    PlausibilityReport r = PlausibilityReport.assess(spine.pixels, 128, 128, strict);

    assertThat(r.discsBetweenVertebrae()).isFalse();
    assertThat(r.unsupportedDiscs()).isEqualTo(1); // L5/S1 sits on the unlabelled sacrum
  }

  @Test
  void tooFewOrTooManyVertebraeAreImplausible() {
    Masks two = Masks.blank(64, 64).rect(10, 10, 20, 20, VERTEBRA).rect(10, 30, 20, 40, VERTEBRA);
    Masks many = Masks.blank(128, 128);
    for (int k = 0; k < 19; k++) {
      many.rect(5 + 6 * k, 10, 8 + 6 * k, 14, VERTEBRA); // 19 separate 4 × 5 blocks
    }
    Masks withSpecks = Masks.blank(64, 64).rect(10, 10, 20, 20, VERTEBRA);
    for (int k = 0; k < 5; k++) {
      withSpecks.pixel(40, 5 + 3 * k, VERTEBRA); // single pixels do not count
    }

    assertThat(assess(two).vertebraeCountPlausible()).isFalse();
    assertThat(assess(two).vertebraComponents()).isEqualTo(2);
    assertThat(assess(many).vertebraComponents()).isEqualTo(19);
    assertThat(assess(many).vertebraeCountPlausible()).isFalse();
    assertThat(assess(withSpecks).vertebraComponents()).isEqualTo(1);
  }

  @Test
  void emptyPredictionPassesOnlyTheVacuousDiscCheck() {
    PlausibilityReport r = assess(Masks.blank(32, 32));

    assertThat(r.canalConnected()).isFalse();
    assertThat(r.discsBetweenVertebrae()).isTrue();
    assertThat(r.vertebraeCountPlausible()).isFalse();
    assertThat(r.score()).isEqualTo(1.0 / 3);
  }

  @Test
  void rulesAreValidated() {
    assertThatThrownBy(() -> new PlausibilityRules(0.0005, 5, 4, 0.5, true))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PlausibilityRules(0.0005, 3, 18, 0, true))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(PlausibilityRules.DEFAULTS.minComponentPixels(128 * 128)).isEqualTo(8);
    assertThat(PlausibilityRules.DEFAULTS.minComponentPixels(10)).isEqualTo(1);
  }

  private static PlausibilityReport assess(Masks m) {
    return PlausibilityReport.assess(m.pixels, m.width, m.height, PlausibilityRules.DEFAULTS);
  }
}
