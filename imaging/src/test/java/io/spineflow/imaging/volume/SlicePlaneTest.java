package io.spineflow.imaging.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

/** The plane inverse of {@code pixelToPhysical}: exact on the plane, distance off it. */
class SlicePlaneTest {

  @Test
  void pixelsRoundTripThroughNonOrthogonalUnequalSteps() {
    // Column step 0.8 mm along (1, 1, 0)/√2-ish, row step 2 mm, 60° apart, pixel (0, 0) anywhere.
    double[] m = {0.5, 1.0, -12, 0.6, 1.7, 30, 0.1, 0.4, 7.5};
    SlicePlane plane = SlicePlane.of(m);
    for (double[] pixel : new double[][] {{0, 0}, {3.25, -1}, {127, 127}, {-4, 60.5}}) {
      double[] point = {
        m[0] * pixel[0] + m[1] * pixel[1] + m[2],
        m[3] * pixel[0] + m[4] * pixel[1] + m[5],
        m[6] * pixel[0] + m[7] * pixel[1] + m[8]
      };
      double[] back = plane.pixelOf(point);
      assertThat(back[0]).isCloseTo(pixel[0], offset(1e-9));
      assertThat(back[1]).isCloseTo(pixel[1], offset(1e-9));
      assertThat(plane.distance(point)).isCloseTo(0, offset(1e-9));
    }
  }

  @Test
  void aPointOffThePlaneProjectsOntoItAndReportsItsDistance() {
    // Identity-like plane z = 5: columns along x (2 mm), rows along y (3 mm).
    double[] m = {2, 0, 10, 0, 3, 20, 0, 0, 5};
    SlicePlane plane = SlicePlane.of(m);
    double[] pixel = plane.pixelOf(new double[] {14, 29, 9});
    assertThat(pixel[0]).isCloseTo(2, offset(1e-12));
    assertThat(pixel[1]).isCloseTo(3, offset(1e-12));
    assertThat(plane.distance(new double[] {14, 29, 9})).isCloseTo(4, offset(1e-12));
  }

  @Test
  void parallelOrZeroStepsSpanNoPlane() {
    assertThat(SlicePlane.of(new double[] {1, 2, 0, 1, 2, 0, 0, 0, 0})).isNull();
    assertThat(SlicePlane.of(new double[] {0, 1, 0, 0, 0, 0, 0, 0, 0})).isNull();
  }
}
