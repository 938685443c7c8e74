package io.spineflow.preprocess.slicing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.spineflow.imaging.ElementType;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.ImageGeometry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class IntensityNormaliserTest {

  /** 1000 voxels 1..1000 (shuffled), so the p-th percentile is exactly ceil(10·p). */
  private static Image ramp(ElementType type, double offset) {
    double[] values = new double[1000];
    for (int i = 0; i < values.length; i++) {
      values[i] = offset + 1 + (i * 7919L) % 1000;
    }
    return Image.fromDoubles(ImageGeometry.of(10, 10, 10), type, values);
  }

  @ParameterizedTest
  @EnumSource(
      value = ElementType.class,
      names = {"USHORT", "SHORT", "INT"})
  void percentilesAreNearestRankAndExactFor16BitImages(ElementType type) {
    IntensityNormaliser.Window w = new IntensityNormaliser(0.5, 99.5).window(ramp(type, 0));
    if (type == ElementType.INT) {
      // 32-bit integers go through the 65536-bin histogram: within one bin.
      assertThat(w.low()).isCloseTo(5, within(999 / 65536.0 + 1e-9));
      assertThat(w.high()).isCloseTo(995, within(999 / 65536.0 + 1e-9));
    } else {
      assertThat(w.low()).isEqualTo(5);
      assertThat(w.high()).isEqualTo(995);
    }
  }

  @Test
  void signedImagesKeepTheirNegativeIntensities() {
    IntensityNormaliser.Window w =
        new IntensityNormaliser(0, 100).window(ramp(ElementType.SHORT, -500));
    assertThat(w.low()).isEqualTo(-499);
    assertThat(w.high()).isEqualTo(500);
  }

  @Test
  void floatImagesAreWithinOneBinOfTheExactPercentile() {
    IntensityNormaliser.Window w =
        new IntensityNormaliser(0.5, 99.5).window(ramp(ElementType.FLOAT, 0.25));
    double bin = 999.0 / 65536;
    assertThat(w.low()).isCloseTo(5.25, within(bin));
    assertThat(w.high()).isCloseTo(995.25, within(2 * bin));
  }

  @Test
  void hotVoxelsAreClippedInsteadOfSquashingTheAnatomy() {
    double[] values = new double[1000];
    for (int i = 0; i < values.length; i++) {
      values[i] = i < 3 ? 60000 : 100 + i % 100; // 0.3 % hot voxels
    }
    Image image = Image.fromDoubles(ImageGeometry.of(10, 10, 10), ElementType.USHORT, values);
    IntensityNormaliser.Window w = new IntensityNormaliser(0.5, 99.5).window(image);
    assertThat(w.high()).isLessThan(200);
    assertThat(w.apply(60000)).isEqualTo(1f);
    assertThat(w.apply(50)).isEqualTo(0f);
    assertThat(w.apply((float) ((w.low() + w.high()) / 2))).isCloseTo(0.5f, within(1e-6f));
  }

  @Test
  void aConstantImageNormalisesToZeroRatherThanDividingByZero() {
    Image image = Image.fromDoubles(ImageGeometry.of(4, 4, 4), ElementType.USHORT, new double[64]);
    IntensityNormaliser.Window w = new IntensityNormaliser(0.5, 99.5).window(image);
    assertThat(w.apply(0)).isZero();
    assertThat(w.apply(7)).isZero();
  }

  @Test
  void nonFiniteIntensitiesRejectTheStudy() {
    double[] values = new double[8];
    values[5] = Double.NaN;
    Image image = Image.fromDoubles(ImageGeometry.of(2, 2, 2), ElementType.FLOAT, values);
    assertThatThrownBy(() -> new IntensityNormaliser(0.5, 99.5).window(image))
        .isInstanceOfSatisfying(
            StudyRejectedException.class,
            e -> assertThat(e.reasonCode()).isEqualTo("NON_FINITE_INTENSITY"));
  }

  @Test
  void applyNormalisesOnlyTheContentAndLeavesPaddingAtZero() {
    SliceGrid grid = SliceGrid.fit(4, 2, 1, 1, 4, 4); // content 2 columns wide, centred
    float[] pixels = new float[16];
    java.util.Arrays.fill(pixels, 150f);
    for (int y = 0; y < 4; y++) {
      pixels[y * 4] = 0; // padding columns 0 and 3 as the resampler leaves them
      pixels[y * 4 + 3] = 0;
    }
    IntensityNormaliser.apply(new IntensityNormaliser.Window(100, 200), pixels, grid);
    assertThat(pixels)
        .containsExactly(0, .5f, .5f, 0, 0, .5f, .5f, 0, 0, .5f, .5f, 0, 0, .5f, .5f, 0);
  }

  @Test
  void percentilesMustBeOrdered() {
    assertThatThrownBy(() -> new IntensityNormaliser(99.5, 0.5))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
