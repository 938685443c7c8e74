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
    assertThat(Interpolation.NEAREST.classAt(mask, 0.6, 0.6)).isEqualTo(2);
    assertThat(Interpolation.LINEAR.classAt(mask, 0.6, 0.6)).isEqualTo(1);
  }

  @Test
  void onAPixelCentreBothReadThatPixel() {
    SliceMask mask = mask(0, 1, 2, 3);
    for (int r = 0; r < 2; r++) {
      for (int c = 0; c < 2; c++) {
        assertThat(Interpolation.LINEAR.classAt(mask, c, r)).isEqualTo(mask.classAt(c, r));
        assertThat(Interpolation.NEAREST.classAt(mask, c, r)).isEqualTo(mask.classAt(c, r));
      }
    }
  }

  @Test
  void aTieGoesToTheNearestPixel() {
    // Halfway between vertebrae (column 0) and discs (column 1): floor(0.5 + 0.5) = column 1.
    SliceMask mask = mask(1, 3, 1, 3);
    assertThat(Interpolation.LINEAR.classAt(mask, 0.5, 0)).isEqualTo(3);
    assertThat(Interpolation.NEAREST.classAt(mask, 0.5, 0)).isEqualTo(3);
  }

  @Test
  void offTheGridCountsAsBackground() {
    SliceMask mask = mask(2, 2, 2, 2);
    assertThat(Interpolation.NEAREST.classAt(mask, -0.4, 0)).isEqualTo(2);
    assertThat(Interpolation.NEAREST.classAt(mask, -0.6, 0)).isZero();
    assertThat(Interpolation.LINEAR.classAt(mask, -0.4, 0)).isEqualTo(2);
    assertThat(Interpolation.LINEAR.classAt(mask, -0.6, 0)).isZero();
    assertThat(Interpolation.LINEAR.classAt(mask, 1.2, 1.3)).isEqualTo(2);
    assertThat(Interpolation.LINEAR.classAt(mask, 5, 5)).isZero();
  }
}
