package io.spineflow.preprocess.slicing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.spineflow.imaging.ElementType;
import io.spineflow.imaging.Image;
import org.junit.jupiter.api.Test;

/** Fitting a slice into the model input: isotropic pixels, no distortion, centred padding. */
class SliceGridTest {

  @Test
  void aTallFieldOfViewFillsTheHeightAndIsPaddedLeftAndRight() {
    // 100 mm superior-inferior × 50 mm anterior-posterior, 1 mm pixels, into 128 × 128.
    SliceGrid grid = SliceGrid.fit(100, 50, 1, 1, 128, 128);
    assertThat(grid.pixelSpacing()).isCloseTo(100.0 / 128, within(1e-12));
    assertThat(grid.contentHeight()).isEqualTo(128);
    assertThat(grid.contentWidth()).isEqualTo(64);
    assertThat(grid.contentX()).isEqualTo(32);
    assertThat(grid.contentY()).isZero();
  }

  @Test
  void anisotropicSourcePixelsAreFittedByTheirPhysicalExtent() {
    // 100 rows of 1 mm, 100 columns of 0.5 mm: physically 100 × 50 mm, as above.
    SliceGrid grid = SliceGrid.fit(100, 100, 1, 0.5, 128, 128);
    assertThat(grid.contentWidth()).isEqualTo(64);
    assertThat(grid.contentHeight()).isEqualTo(128);
    assertThat(grid.columnStep()).isCloseTo(2 * grid.rowStep(), within(1e-12));
  }

  @Test
  void aSquareFieldOfViewInAWideOutputIsPaddedOnTheSides() {
    SliceGrid grid = SliceGrid.fit(200, 200, 1, 1, 512, 256);
    assertThat(grid.pixelSpacing()).isCloseTo(200.0 / 256, within(1e-12));
    assertThat(grid.contentWidth()).isEqualTo(256);
    assertThat(grid.contentHeight()).isEqualTo(256);
    assertThat(grid.contentX()).isEqualTo(128);
  }

  @Test
  void samplingIsCentredOnTheSourceFieldOfView() {
    SliceGrid grid = SliceGrid.fit(100, 50, 1, 1, 128, 128);
    // The middle of the content sits on the middle of the source.
    double midColumn = grid.contentX() + grid.contentWidth() / 2.0 - 0.5;
    double midRow = grid.contentY() + grid.contentHeight() / 2.0 - 0.5;
    assertThat(grid.sourceColumn(midColumn)).isCloseTo(24.5, within(1e-9));
    assertThat(grid.sourceRow(midRow)).isCloseTo(49.5, within(1e-9));
    // The content's outer pixel edges are the source's outer voxel edges.
    assertThat(grid.sourceRow(-0.5)).isCloseTo(-0.5, within(1e-9));
    assertThat(grid.sourceRow(127.5)).isCloseTo(99.5, within(1e-9));
  }

  @Test
  void aDiscStaysADiscThroughResampling() {
    // A 40 mm disc on a grid of 0.5 mm columns × 1 mm rows (80 × 160 voxels = 80 × 80 mm).
    int rows = 80;
    int columns = 160;
    double[] values = new double[rows * columns];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < columns; c++) {
        double x = (c + 0.5) * 0.5 - 40;
        double y = (r + 0.5) - 40;
        values[c + columns * r] = x * x + y * y <= 20 * 20 ? 1000 : 0;
      }
    }
    // Axis 0 = columns (anterior-posterior), axis 1 = rows (inferior-superior), axis 2 sagittal.
    Image image =
        Image.fromDoubles(
            new io.spineflow.imaging.ImageGeometry(
                new int[] {columns, rows, 1},
                new double[] {0.5, 1, 3},
                new double[3],
                new double[] {0, 0, 1, 1, 0, 0, 0, -1, 0}),
            ElementType.USHORT,
            values);
    SagittalSlicer slicer =
        new SagittalSlicer(
            128,
            96,
            new IntensityNormaliser(0, 100),
            new SliceFilter(false, false, 1),
            new SpineRegion(false, 0));
    SagittalSlice slice = slicer.slice(image, null).slices().get(0);
    int minX = 128;
    int maxX = -1;
    int minY = 96;
    int maxY = -1;
    for (int y = 0; y < 96; y++) {
      for (int x = 0; x < 128; x++) {
        if (slice.pixels()[y * 128 + x] > 0.5f) {
          minX = Math.min(minX, x);
          maxX = Math.max(maxX, x);
          minY = Math.min(minY, y);
          maxY = Math.max(maxY, y);
        }
      }
    }
    int width = maxX - minX + 1;
    int height = maxY - minY + 1;
    // 80 mm fills 96 rows: 40 mm is 48 pixels either way, centred in the 128 columns.
    assertThat(width).isBetween(47, 49);
    assertThat(height).isBetween(47, 49);
    assertThat((minX + maxX) / 2.0).isCloseTo(63.5, within(1.0));
    assertThat(slice.pixels()[0]).as("padding").isZero();
    assertThat(slice.pixelSpacing()).isCloseTo(80.0 / 96, within(1e-12));
  }
}
