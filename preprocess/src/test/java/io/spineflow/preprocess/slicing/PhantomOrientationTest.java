package io.spineflow.preprocess.slicing;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.imaging.Image;
import io.spineflow.imaging.ImageGeometry;
import io.spineflow.imaging.Sequence;
import io.spineflow.imaging.phantom.PhantomGenerator;
import io.spineflow.imaging.phantom.PhantomSpec;
import io.spineflow.imaging.phantom.PhantomStudy;
import io.spineflow.imaging.phantom.VoxelGridLayout;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Orientation on SPIDER-like phantoms: the same patient in different array layouts (permuted,
 * flipped, on a grid tilted a few degrees) gives the same slices; the slices show the anatomy the
 * documented way; and each pixel's physical point maps back to the source voxel it came from.
 */
class PhantomOrientationTest {
  private static final PhantomGenerator GENERATOR = new PhantomGenerator();
  // Each array axis sagittal at least once, each patient axis flipped at least once.
  private static final List<String> LAYOUTS = List.of("LPS", "PIL", "SAR", "IRP");
  private static final Map<String, PhantomStudy> CACHE =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static final SagittalSlicer SLICER =
      new SagittalSlicer(
          128,
          128,
          new IntensityNormaliser(0.5, 99.5),
          new SliceFilter(true, true, 100),
          new SpineRegion(true, 15));

  private static PhantomStudy phantom(Sequence sequence, String layout) {
    // Generating is the slow part: each (sequence, layout) once per test class.
    return CACHE.computeIfAbsent(
        sequence + "/" + layout,
        k ->
            GENERATOR.generate(
                new PhantomSpec(sequence, 11, false, 0.5, VoxelGridLayout.of(layout))));
  }

  @ParameterizedTest
  @EnumSource(Sequence.class)
  void theSamePatientInFourLayoutsGivesIdenticalSlices(Sequence sequence) {
    SlicedStudy reference = null;
    for (String layout : LAYOUTS) {
      PhantomStudy phantom = phantom(sequence, layout);
      SlicedStudy study = SLICER.slice(phantom.image(), phantom.mask());
      assertThat(study.sagittalAxis().axis())
          .as("layout %s", layout)
          .isEqualTo(phantom.truth().sagittalAxis());
      if (reference == null) {
        reference = study;
        assertThat(study.slices()).isNotEmpty();
        continue;
      }
      assertThat(study.droppedByReason()).isEqualTo(reference.droppedByReason());
      assertThat(study.slices()).hasSameSizeAs(reference.slices());
      for (int s = 0; s < study.slices().size(); s++) {
        SagittalSlice a = reference.slices().get(s);
        SagittalSlice b = study.slices().get(s);
        assertThat(b.sliceIndex()).isEqualTo(a.sliceIndex());
        assertThat(b.label()).as("labels of slice %d, layout %s", s, layout).isEqualTo(a.label());
        for (int p = 0; p < a.pixels().length; p++) {
          assertThat(Math.abs(b.pixels()[p] - a.pixels()[p]))
              .as("pixel %d of slice %d, layout %s", p, s, layout)
              .isLessThan(1e-5f);
        }
        for (int m = 0; m < 9; m++) {
          assertThat(Math.abs(b.pixelToPhysical()[m] - a.pixelToPhysical()[m])).isLessThan(1e-6);
        }
      }
    }
  }

  @Test
  void slicesShowSuperiorUpAnteriorLeftAndRunRightToLeft() {
    PhantomStudy phantom = phantom(Sequence.T2, "PIL");
    SlicedStudy study = SLICER.slice(phantom.image(), phantom.mask());
    SagittalSlice previous = null;
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

      // The anatomy agrees: the canal lies behind the discs.
      assertThat(meanColumn(slice, LabelMerge.CANAL))
          .isGreaterThan(meanColumn(slice, LabelMerge.DISCS));
    }
  }

  @Test
  void vertebraeNumberedFromTheBottomAppearBottomToTop() {
    PhantomStudy phantom = phantom(Sequence.T1, "SAR");
    SlicedStudy study = SLICER.slice(phantom.image(), phantom.mask());
    SagittalSlice middle = study.slices().get(study.slices().size() / 2);
    // Mean row of each SPIDER vertebra label, read back through pixelToPhysical.
    Map<Integer, double[]> rows = new TreeMap<>();
    for (int y = 0; y < 128; y++) {
      for (int x = 0; x < 128; x++) {
        int label =
            (int) phantom.mask().voxel(sourceVoxel(phantom.mask().geometry(), middle, x, y));
        if (label >= 1 && label < 100) {
          rows.computeIfAbsent(label, l -> new double[2]);
          rows.get(label)[0] += y;
          rows.get(label)[1]++;
        }
      }
    }
    assertThat(rows).hasSizeGreaterThanOrEqualTo(4);
    double previousRow = Double.POSITIVE_INFINITY;
    for (double[] sum : rows.values()) {
      double meanRow = sum[0] / sum[1];
      assertThat(meanRow).as("a higher vertebra is higher up").isLessThan(previousRow);
      previousRow = meanRow;
    }
  }

  @ParameterizedTest
  @EnumSource(Sequence.class)
  void everyPixelMapsBackToTheSourceVoxelItsLabelCameFrom(Sequence sequence) {
    PhantomStudy phantom = phantom(sequence, "IRP");
    Image mask = phantom.mask();
    SlicedStudy study = SLICER.slice(phantom.image(), mask);
    SliceGrid grid =
        SliceGrid.fit(
            study.orientation().rows(),
            study.orientation().columns(),
            study.orientation().rowSpacing(),
            study.orientation().columnSpacing(),
            128,
            128);
    int checked = 0;
    for (SagittalSlice slice : study.slices()) {
      assertThat(slice.sourceSliceIndex())
          .isEqualTo(
              (int)
                  Math.round(
                      continuousIndex(mask.geometry(), slice.physicalPoint(64, 64))[
                          study.sagittalAxis().axis()]));
      for (int y = grid.contentY(); y < grid.contentY() + grid.contentHeight(); y++) {
        for (int x = grid.contentX(); x < grid.contentX() + grid.contentWidth(); x++) {
          double[] index = continuousIndex(mask.geometry(), slice.physicalPoint(x, y));
          if (nearTie(index)) {
            continue;
          }
          byte expected = LabelMerge.classOf(mask.voxel(linear(mask.geometry(), index)));
          assertThat(slice.label()[y * 128 + x])
              .as("slice %d pixel (%d, %d)", slice.sliceIndex(), x, y)
              .isEqualTo(expected);
          checked++;
        }
      }
    }
    assertThat(checked).isGreaterThan(10_000);
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
    return sum / n;
  }

  private static long sourceVoxel(ImageGeometry g, SagittalSlice slice, int x, int y) {
    return linear(g, continuousIndex(g, slice.physicalPoint(x, y)));
  }

  /** index = spacing⁻¹ · direction⁻¹ · (point − origin), with a general 3×3 inverse. */
  static double[] continuousIndex(ImageGeometry g, double[] point) {
    double[] d = g.direction();
    double det =
        d[0] * (d[4] * d[8] - d[5] * d[7])
            - d[1] * (d[3] * d[8] - d[5] * d[6])
            + d[2] * (d[3] * d[7] - d[4] * d[6]);
    double[] inv = {
      (d[4] * d[8] - d[5] * d[7]) / det,
      (d[2] * d[7] - d[1] * d[8]) / det,
      (d[1] * d[5] - d[2] * d[4]) / det,
      (d[5] * d[6] - d[3] * d[8]) / det,
      (d[0] * d[8] - d[2] * d[6]) / det,
      (d[2] * d[3] - d[0] * d[5]) / det,
      (d[3] * d[7] - d[4] * d[6]) / det,
      (d[1] * d[6] - d[0] * d[7]) / det,
      (d[0] * d[4] - d[1] * d[3]) / det
    };
    double[] origin = g.origin();
    double[] spacing = g.spacing();
    double[] rel = {point[0] - origin[0], point[1] - origin[1], point[2] - origin[2]};
    double[] index = new double[3];
    for (int r = 0; r < 3; r++) {
      index[r] =
          (inv[3 * r] * rel[0] + inv[3 * r + 1] * rel[1] + inv[3 * r + 2] * rel[2]) / spacing[r];
    }
    return index;
  }

  private static boolean nearTie(double[] index) {
    for (double v : index) {
      double f = v - Math.floor(v);
      if (Math.abs(f - 0.5) < 1e-6) {
        return true;
      }
    }
    return false;
  }

  private static long linear(ImageGeometry g, double[] index) {
    int[] size = g.size();
    int[] i = new int[3];
    for (int a = 0; a < 3; a++) {
      i[a] = Math.max(0, Math.min(size[a] - 1, (int) Math.floor(index[a] + 0.5)));
    }
    return i[0] + (long) size[0] * (i[1] + (long) size[1] * i[2]);
  }
}
