package io.spineflow.preprocess.slicing;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.imaging.Sequence;
import io.spineflow.imaging.phantom.PhantomGenerator;
import io.spineflow.imaging.phantom.PhantomSpec;
import io.spineflow.imaging.phantom.PhantomStudy;
import io.spineflow.imaging.phantom.VoxelGridLayout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Randomised phantoms keep the geometry rules of the default ones: whatever their array layout,
 * resolution and field of view, preprocessing shows superior up, anterior left, slices running
 * right to left, and the canal behind the discs.
 */
class RandomisedPhantomOrientationTest {
  private static final SagittalSlicer SLICER =
      new SagittalSlicer(
          128,
          128,
          new IntensityNormaliser(0.5, 99.5),
          new SliceFilter(true, true, 100),
          new SpineRegion(true, 15));

  @ParameterizedTest
  @CsvSource({"T2, 3, PIL", "T1, 8, SAR", "T2_SPACE, 13, IRP"})
  void slicesShowSuperiorUpAnteriorLeftAndRunRightToLeft(
      Sequence sequence, long seed, String layout) {
    PhantomStudy phantom =
        new PhantomGenerator()
            .generate(
                new PhantomSpec(sequence, seed, false, 0.5, VoxelGridLayout.of(layout), true));
    SlicedStudy study = SLICER.slice(phantom.image(), phantom.mask());
    assertThat(study.sagittalAxis().axis()).isEqualTo(phantom.truth().sagittalAxis());
    assertThat(study.slices()).isNotEmpty();
    SagittalSlice previous = null;
    int withCanalAndDiscs = 0;
    for (SagittalSlice slice : study.slices()) {
      double[] top = slice.physicalPoint(64, 0);
      double[] bottom = slice.physicalPoint(64, 127);
      double[] front = slice.physicalPoint(0, 64);
      double[] back = slice.physicalPoint(127, 64);
      assertThat(top[2]).as("row 0 is superior").isGreaterThan(bottom[2] + 100);
      assertThat(front[1]).as("column 0 is anterior").isLessThan(back[1] - 100);
      if (previous != null) {
        assertThat(slice.physicalPoint(64, 64)[0])
            .as("slices run right to left")
            .isGreaterThan(previous.physicalPoint(64, 64)[0]);
      }
      previous = slice;
      double canal = meanColumn(slice, LabelMerge.CANAL);
      double discs = meanColumn(slice, LabelMerge.DISCS);
      if (!Double.isNaN(canal) && !Double.isNaN(discs)) {
        assertThat(canal).as("the canal lies behind the discs").isGreaterThan(discs);
        withCanalAndDiscs++;
      }
    }
    assertThat(withCanalAndDiscs).isPositive();
  }

  private static double meanColumn(SagittalSlice slice, byte cls) {
    double sum = 0;
    int n = 0;
    for (int p = 0; p < slice.label().length; p++) {
      if (slice.label()[p] == cls) {
        sum += p % slice.width();
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }
}
