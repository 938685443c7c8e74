package io.spineflow.imaging.volume;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * How a voxel reads a class at a continuous mask position: nearest pixel, or per-class bilinear.
 */
class InterpolationTest {
  private static final double[] ANY_AFFINE = {1, 0, 0, 0, 1, 0, 0, 0, 1};

  /** Row-major 2 × 2 mask. */
  private static SliceMask mask(int c00, int c10, int c01, int c11) {
    return new SliceMask(
        0, 0, 2, 2, ANY_AFFINE, new byte[] {(byte) c00, (byte) c10, (byte) c01, (byte) c11});
  }

  @Test
  void linearLetsTheClassWithMostWeightWinWhereTheNearestPixelDisagrees() {
    // At (0.6, 0.6) the nearest pixel (1, 1) is canal, but vertebrae hold 0.16 + 0.24 + 0.24.
    SliceMask mask = mask(1, 1, 1, 2);
    assertThat(Interpolation.NEAREST.sampler(mask).classAt(0.6, 0.6)).isEqualTo(2);
    assertThat(Interpolation.LINEAR.sampler(mask).classAt(0.6, 0.6)).isEqualTo(1);
  }

  @Test
  void onAPixelCentreBothReadThatPixel() {
    SliceMask mask = mask(0, 1, 2, 3);
    for (int r = 0; r < 2; r++) {
      for (int c = 0; c < 2; c++) {
        assertThat(Interpolation.LINEAR.sampler(mask).classAt(c, r)).isEqualTo(mask.classAt(c, r));
        assertThat(Interpolation.NEAREST.sampler(mask).classAt(c, r)).isEqualTo(mask.classAt(c, r));
      }
    }
  }

  @Test
  void aTieGoesToTheNearestPixel() {
    // Halfway between vertebrae (column 0) and discs (column 1): floor(0.5 + 0.5) = column 1.
    SliceMask mask = mask(1, 3, 1, 3);
    assertThat(Interpolation.LINEAR.sampler(mask).classAt(0.5, 0)).isEqualTo(3);
    assertThat(Interpolation.NEAREST.sampler(mask).classAt(0.5, 0)).isEqualTo(3);
  }

  @Test
  void offTheGridCountsAsBackground() {
    SliceMask mask = mask(2, 2, 2, 2);
    assertThat(Interpolation.NEAREST.sampler(mask).classAt(-0.4, 0)).isEqualTo(2);
    assertThat(Interpolation.NEAREST.sampler(mask).classAt(-0.6, 0)).isZero();
    assertThat(Interpolation.LINEAR.sampler(mask).classAt(-0.4, 0)).isEqualTo(2);
    assertThat(Interpolation.LINEAR.sampler(mask).classAt(-0.6, 0)).isZero();
    assertThat(Interpolation.LINEAR.sampler(mask).classAt(1.2, 1.3)).isEqualTo(2);
    assertThat(Interpolation.LINEAR.sampler(mask).classAt(5, 5)).isZero();
  }

  /** A {@code width × height} mask whose class at (c, r) is {@code classOf}. */
  private static SliceMask mask(
      int width, int height, java.util.function.IntBinaryOperator classOf) {
    byte[] classes = new byte[width * height];
    for (int r = 0; r < height; r++) {
      for (int c = 0; c < width; c++) {
        classes[r * width + c] = (byte) classOf.applyAsInt(c, r);
      }
    }
    return new SliceMask(0, 0, width, height, ANY_AFFINE, classes);
  }

  @Test
  void gaussianPlacesAStraightEdgeHalfwayBetweenPixelCentres() {
    SliceMask mask = mask(6, 6, (c, r) -> c < 3 ? 1 : 3);
    Interpolation.Sampler gaussian = Interpolation.GAUSSIAN.sampler(mask);
    for (double row : new double[] {0, 2.5, 5}) {
      assertThat(gaussian.classAt(2.4, row)).isEqualTo(1);
      assertThat(gaussian.classAt(2.6, row)).isEqualTo(3);
      assertThat(gaussian.classAt(0, row)).isEqualTo(1);
      assertThat(gaussian.classAt(5, row)).isEqualTo(3);
    }
  }

  @Test
  void gaussianKeepsAOnePixelLineButSmoothsALonePixelAway() {
    // sigma 0.6: the centre pixel holds 0.66 of a 1D kernel but only 0.44 of the 2D one.
    SliceMask line = mask(7, 7, (c, r) -> c == 3 ? 2 : 1);
    SliceMask speck = mask(7, 7, (c, r) -> c == 3 && r == 3 ? 2 : 1);
    assertThat(Interpolation.GAUSSIAN.sampler(line).classAt(3, 3)).isEqualTo(2);
    assertThat(Interpolation.GAUSSIAN.sampler(speck).classAt(3, 3)).isEqualTo(1);
    assertThat(Interpolation.LINEAR.sampler(speck).classAt(3, 3)).isEqualTo(2);
  }

  @Test
  void gaussianReadsBackgroundOffTheGrid() {
    Interpolation.Sampler gaussian = Interpolation.GAUSSIAN.sampler(mask(6, 6, (c, r) -> 2));
    assertThat(gaussian.classAt(-0.4, 3)).isEqualTo(2);
    assertThat(gaussian.classAt(-0.6, 3)).isZero();
    assertThat(gaussian.classAt(3, 5.4)).isEqualTo(2);
    assertThat(gaussian.classAt(3, 5.6)).isZero();
    assertThat(gaussian.classAt(-50, 3)).isZero();
  }
}
