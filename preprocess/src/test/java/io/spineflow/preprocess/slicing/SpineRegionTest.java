package io.spineflow.preprocess.slicing;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.imaging.ImageGeometry;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SpineRegionTest {
  private static Reorientation sagittalStack(int slices, double thickness) {
    ImageGeometry g =
        new ImageGeometry(
            new int[] {slices, 10, 10},
            new double[] {thickness, 1, 1},
            new double[3],
            new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
    return Reorientation.of(g, SagittalAxis.of(g));
  }

  private static int[] kept(SpineRegion region, Reorientation o) {
    return IntStream.range(0, o.slices()).filter(s -> region.contains(o, s)).toArray();
  }

  @Test
  void keepsTheSlicesWithinTheHalfWidthOfTheMiddleInMillimetres() {
    SpineRegion region = new SpineRegion(true, 15);
    // 15 slices of 4 mm: centres at -28 .. +28 mm; |offset| <= 15 mm keeps -12 .. +12.
    assertThat(kept(region, sagittalStack(15, 4))).containsExactly(4, 5, 6, 7, 8, 9, 10);
    // 50 slices of 1 mm: centres at -24.5 .. +24.5; keeps -14.5 .. +14.5, 30 slices.
    assertThat(kept(region, sagittalStack(50, 1))).hasSize(30).startsWith(10).endsWith(39);
  }

  @Test
  void switchedOffKeepsEverySlice() {
    assertThat(kept(new SpineRegion(false, 0), sagittalStack(15, 4))).hasSize(15);
  }
}
