package io.spineflow.preprocess.slicing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.spineflow.imaging.ElementType;
import io.spineflow.imaging.Image;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same hand-made patient stored in all 48 array layouts (6 axis orders × 8 flips) must come out
 * as the same slices, shown the documented way: slices right → left, rows superior → inferior,
 * columns anterior → posterior.
 */
class ReorientationTest {
  // Patient grid in LPS order: 5 sagittal slices 3 mm thick, 6 voxels anterior-posterior, 7
  // inferior-superior, 1 mm.
  private static final int[] LPS_SIZE = {5, 6, 7};
  private static final double[] LPS_SPACING = {3, 1, 1};

  /** Unique per voxel: the hundreds say left-right, the tens anterior-posterior, the units S-I. */
  private static double intensity(int i, int j, int k) {
    return 1 + 100 * i + 10 * j + k;
  }

  /** SPIDER labels that vary only anterior-posterior: background, vertebra, canal, disc. */
  private static double spiderLabel(int i, int j, int k) {
    return j == 0 ? 0 : j < 3 ? k + 1 : j == 3 ? 100 : 201 + k;
  }

  private static byte mergedClassOfColumn(int j) {
    return (byte) (j == 0 ? 0 : j < 3 ? 1 : j == 3 ? 2 : 3);
  }

  static Stream<String> allLayouts() {
    List<String> codes = new ArrayList<>();
    String[][] letters = {{"L", "R"}, {"P", "A"}, {"S", "I"}};
    int[][] orders = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
    for (int[] order : orders) {
      for (int flips = 0; flips < 8; flips++) {
        StringBuilder code = new StringBuilder();
        for (int c = 0; c < 3; c++) {
          code.append(letters[order[c]][(flips >> c) & 1]);
        }
        codes.add(code.toString());
      }
    }
    return codes.stream();
  }

  // Output = the native in-plane grid (6 columns × 7 rows of 1 mm): no interpolation, so the
  // test sees exactly which voxel lands where. Window = min..max, so values can be recovered.
  private static final SagittalSlicer SLICER =
      new SagittalSlicer(
          6,
          7,
          new IntensityNormaliser(0, 100),
          new SliceFilter(false, false, 1),
          new SpineRegion(false, 0));

  @ParameterizedTest(name = "layout {0}")
  @MethodSource("allLayouts")
  void everyLayoutShowsThePatientTheSameWay(String layout) {
    Image image =
        LayoutVolumes.store(
            ReorientationTest::intensity, LPS_SIZE, LPS_SPACING, ElementType.USHORT, layout);
    Image mask =
        LayoutVolumes.store(
            ReorientationTest::spiderLabel, LPS_SIZE, LPS_SPACING, ElementType.UCHAR, layout);

    SlicedStudy study = SLICER.slice(image, mask);

    assertThat(study.sourceSlices()).isEqualTo(5);
    assertThat(study.slices()).hasSize(5);
    double min = intensity(0, 0, 0);
    double max = intensity(4, 5, 6);
    for (SagittalSlice slice : study.slices()) {
      int i = slice.sliceIndex(); // slice 0 is the patient's rightmost (smallest x)
      assertThat(slice.pixelSpacing()).isEqualTo(1.0);
      assertThat(slice.sliceThickness()).isEqualTo(3.0);
      for (int y = 0; y < 7; y++) {
        for (int x = 0; x < 6; x++) {
          int j = x; // column 0 is anterior (smallest y)
          int k = 6 - y; // row 0 is superior (largest z)
          float expected = (float) ((intensity(i, j, k) - min) / (max - min));
          assertThat(slice.pixels()[y * 6 + x])
              .as("slice %d (%d, %d)", i, x, y)
              .isEqualTo(expected);
          assertThat(slice.label()[y * 6 + x]).isEqualTo(mergedClassOfColumn(j));
          double[] p = slice.physicalPoint(x, y);
          assertThat(p[0]).isCloseTo(3.0 * i, within(1e-9));
          assertThat(p[1]).isCloseTo(j, within(1e-9));
          assertThat(p[2]).isCloseTo(k, within(1e-9));
        }
      }
    }
  }

  @ParameterizedTest(name = "layout {0}")
  @MethodSource("allLayouts")
  void theSourceSliceIndexNamesTheFilesOwnSlice(String layout) {
    Image image =
        LayoutVolumes.store(
            ReorientationTest::intensity, LPS_SIZE, LPS_SPACING, ElementType.USHORT, layout);
    SlicedStudy study = SLICER.slice(image, null);
    int axis = study.sagittalAxis().axis();
    assertThat(layout.charAt(axis)).isIn('L', 'R');
    for (SagittalSlice slice : study.slices()) {
      int expected = layout.charAt(axis) == 'R' ? 4 - slice.sliceIndex() : slice.sliceIndex();
      assertThat(slice.sourceSliceIndex()).isEqualTo(expected);
    }
  }
}
