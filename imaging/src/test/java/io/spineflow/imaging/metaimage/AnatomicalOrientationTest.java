package io.spineflow.imaging.metaimage;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.imaging.ImageGeometry;
import org.junit.jupiter.api.Test;

/** The orientation code matches ITK's SpatialOrientationAdapter (identity in LPS is RAI). */
class AnatomicalOrientationTest {

  @Test
  void identityIsRai() {
    assertThat(AnatomicalOrientation.of(ImageGeometry.of(2, 2, 2))).isEqualTo("RAI");
  }

  @Test
  void flippedAxesSwapTheLetters() {
    assertThat(code(-1, 0, 0, 0, -1, 0, 0, 0, -1)).isEqualTo("LPS");
  }

  @Test
  void permutedAxes() {
    // Axis 0 along +z (I), axis 1 along +x (R), axis 2 along -y (P); columns below.
    assertThat(code(0, 1, 0, 0, 0, -1, 1, 0, 0)).isEqualTo("IRP");
  }

  @Test
  void obliqueDirectionsTakeTheClosestAxis() {
    double c = Math.cos(0.3);
    double s = Math.sin(0.3);
    assertThat(code(c, -s, 0, s, c, 0, 0, 0, 1)).isEqualTo("RAI");
  }

  @Test
  void twoAxesAlongTheSameAnatomicalAxisAreUnknown() {
    assertThat(code(1, 0.5, 0, 0, 0.1, 0, 0, 0, 1)).isEqualTo("???");
  }

  @Test
  void twoDimensionalImagesAreUnknown() {
    assertThat(AnatomicalOrientation.of(ImageGeometry.of(4, 4))).isEqualTo("??");
  }

  /** The code for a direction given row-major. */
  private static String code(double... rowMajor) {
    return AnatomicalOrientation.of(
        new ImageGeometry(new int[] {1, 1, 1}, new double[] {1, 1, 1}, new double[3], rowMajor));
  }
}
