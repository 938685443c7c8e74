package io.spineflow.preprocess.slicing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spineflow.imaging.ImageGeometry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SagittalAxisTest {

  private static ImageGeometry geometry(double[] spacing, double[] direction, int... size) {
    return new ImageGeometry(size, spacing, new double[size.length], direction);
  }

  /** Direction whose column {@code sagittal} is ±x and the others ±y/±z. */
  private static double[] withSagittalColumn(int sagittal, double sign) {
    double[] d = new double[9];
    int other = 1;
    for (int c = 0; c < 3; c++) {
      if (c == sagittal) {
        d[c] = sign; // row 0 (x), column c
      } else {
        d[other * 3 + c] = 1; // rows 1 (y) and 2 (z)
        other++;
      }
    }
    return d;
  }

  @ParameterizedTest(name = "sagittal array axis {0}")
  @ValueSource(ints = {0, 1, 2})
  void isTheAxisWhoseDirectionIsClosestToLeftRightWhateverTheSpacing(int axis) {
    // Deliberately isotropic: only the direction can tell.
    ImageGeometry g =
        geometry(new double[] {0.9, 0.9, 0.9}, withSagittalColumn(axis, -1), 20, 20, 20);
    assertThat(SagittalAxis.of(g)).isEqualTo(new SagittalAxis(axis, SagittalAxis.Source.DIRECTION));
  }

  @Test
  void theDirectionWinsOverTheLargestSpacing() {
    // Axis 2 is thick, but the header says axis 1 runs left-right.
    ImageGeometry g = geometry(new double[] {0.5, 0.5, 4.0}, withSagittalColumn(1, 1), 64, 64, 15);
    assertThat(SagittalAxis.of(g).axis()).isEqualTo(1);
  }

  @Test
  void anObliqueAxisCountsByItsLargestLeftRightComponent() {
    double c = Math.cos(Math.toRadians(30));
    double s = Math.sin(Math.toRadians(30));
    // Column 2 is 30° off x; column 1 leans only 30° out of the y-z plane; column 0 lies in it.
    double[] d = {0, s, c, c, 0, -s, s, c, 0};
    // x components: column 0 none, column 1 s = 0.5, column 2 c = 0.87: axis 2.
    ImageGeometry g = geometry(new double[] {1, 1, 1}, d, 10, 10, 10);
    assertThat(SagittalAxis.of(g).axis()).isEqualTo(2);
  }

  @Test
  void anIdentityDirectionWithAClearlyThickerNonXAxisIsTakenAsAbsent() {
    ImageGeometry g =
        geometry(
            new double[] {0.8, 0.8, 4.0}, new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, 64, 64, 15);
    assertThat(SagittalAxis.of(g))
        .isEqualTo(new SagittalAxis(2, SagittalAxis.Source.LARGEST_SPACING));
  }

  @Test
  void anIdentityDirectionIsBelievedWhenSpacingDoesNotContradictIt() {
    double[] identity = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    assertThat(SagittalAxis.of(geometry(new double[] {1, 1, 1.2}, identity, 30, 30, 30)))
        .isEqualTo(new SagittalAxis(0, SagittalAxis.Source.DIRECTION));
    assertThat(SagittalAxis.of(geometry(new double[] {4, 0.8, 0.8}, identity, 15, 64, 64)))
        .isEqualTo(new SagittalAxis(0, SagittalAxis.Source.DIRECTION));
  }

  @Test
  void aTwoDimensionalImageHasNoSagittalAxis() {
    ImageGeometry g = ImageGeometry.of(64, 64);
    assertThatThrownBy(() -> SagittalAxis.of(g))
        .isInstanceOfSatisfying(
            StudyRejectedException.class,
            e -> {
              assertThat(e.reasonCode()).isEqualTo("NO_SAGITTAL_AXIS");
              assertThat(e.field()).isEqualTo("image.size");
              assertThat(e.limit()).isEqualTo("3 dimensions");
            });
  }

  @Test
  void aThreeDimensionalImageOneVoxelThickInPlaneIsA2dSliceInDisguise() {
    // An axial slice stored as 3D: axis 0 runs left-right but the "sagittal slices" are lines.
    ImageGeometry g = ImageGeometry.of(64, 64, 1);
    assertThatThrownBy(() -> SagittalAxis.of(g))
        .isInstanceOf(StudyRejectedException.class)
        .hasMessageContaining("2D slice");
  }

  @Test
  void aSingleSagittalSliceIsAcceptable() {
    assertThat(SagittalAxis.of(ImageGeometry.of(1, 64, 64)).axis()).isZero();
  }
}
