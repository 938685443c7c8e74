package io.spineflow.preprocess.slicing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.spineflow.imaging.ElementType;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.ImageGeometry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Label and image on the same grid (issue #14): the nearest-neighbour label resampling against an
 * area-averaged reference (the majority class over each output pixel's footprint in the source),
 * and the label's centroid against the image's and the shape's own. Sampling pixel corners instead
 * of centres would shift the label half an output pixel: 0.5 px in every centroid check below, and
 * whole rows of confident reference pixels disagreeing.
 */
class LabelResamplingAlignmentTest {
  private static final int OUT = 64;

  @ParameterizedTest(name = "{0}×{1} source pixels of {2}×{3} mm")
  @CsvSource({
    // rows, columns, row mm, column mm: up- and down-sampling at non-integer factors.
    "37, 29, 1.0, 1.0",
    "203, 157, 1.0, 1.0",
    "90, 61, 0.7, 1.3",
    "23, 150, 3.3, 0.45"
  })
  void theLabelFollowsTheAreaAveragedShapeAndSitsOnTheImage(
      int rows, int columns, double rowMm, double columnMm) {
    // An ellipse centred off the voxel grid, a third of the field of view across.
    double cr = rows * 0.47 + 0.3;
    double cc = columns * 0.55 - 0.2;
    double rr = rows / 6.0 + 0.4;
    double rc = columns / 6.0 + 0.3;
    double[] values = new double[rows * columns];
    double[] labels = new double[rows * columns];
    double sumR = 0;
    double sumC = 0;
    int inside = 0;
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < columns; c++) {
        if (inEllipse(r, c, cr, cc, rr, rc)) {
          values[c + columns * r] = 1000;
          labels[c + columns * r] = 1;
          sumR += r;
          sumC += c;
          inside++;
        }
      }
    }
    // Axis 0 = columns (anterior→posterior), axis 1 = rows (superior→inferior), axis 2 sagittal:
    // the reoriented slice is the array itself.
    ImageGeometry geometry =
        new ImageGeometry(
            new int[] {columns, rows, 1},
            new double[] {columnMm, rowMm, 4},
            new double[3],
            new double[] {0, 0, 1, 1, 0, 0, 0, -1, 0});
    SagittalSlicer slicer =
        new SagittalSlicer(
            OUT,
            OUT,
            new IntensityNormaliser(0, 100),
            new SliceFilter(false, false, 1),
            new SpineRegion(false, 0));
    SagittalSlice slice =
        slicer
            .slice(
                Image.fromDoubles(geometry, ElementType.USHORT, values),
                Image.fromDoubles(geometry, ElementType.UCHAR, labels))
            .slices()
            .get(0);
    SliceGrid grid = SliceGrid.fit(rows, columns, rowMm, columnMm, OUT, OUT);

    // Area-averaged reference: the fraction of each output pixel's footprint inside the shape.
    int confident = 0;
    int confidentWrong = 0;
    int wrong = 0;
    for (int y = grid.contentY(); y < grid.contentY() + grid.contentHeight(); y++) {
      for (int x = grid.contentX(); x < grid.contentX() + grid.contentWidth(); x++) {
        double fraction = coveredFraction(labels, rows, columns, grid, x, y);
        boolean reference = fraction > 0.5;
        boolean resampled = slice.label()[y * OUT + x] == 1;
        wrong += reference != resampled ? 1 : 0;
        if (fraction <= 0.25 || fraction >= 0.75) {
          confident++;
          confidentWrong += reference != resampled ? 1 : 0;
        }
      }
    }
    assertThat(confidentWrong)
        .as("pixels at least 3/4 one class must be that class (of %d)", confident)
        .isZero();
    assertThat((double) wrong / (grid.contentWidth() * grid.contentHeight()))
        .as("disagreement with the area-averaged reference")
        .isLessThan(0.03);

    // Centroids in output pixel coordinates (pixel centres at integers).
    double[] shape = {
      (sumC / inside - grid.columnOrigin()) / grid.columnStep(),
      (sumR / inside - grid.rowOrigin()) / grid.rowStep()
    };
    double[] label = centroid(slice, true);
    double[] image = centroid(slice, false);
    assertThat(label[0]).as("label column centroid").isCloseTo(shape[0], within(0.2));
    assertThat(label[1]).as("label row centroid").isCloseTo(shape[1], within(0.2));
    assertThat(image[0]).as("image column centroid").isCloseTo(shape[0], within(0.2));
    assertThat(image[1]).as("image row centroid").isCloseTo(shape[1], within(0.2));
    assertThat(label[0]).as("label on image, columns").isCloseTo(image[0], within(0.2));
    assertThat(label[1]).as("label on image, rows").isCloseTo(image[1], within(0.2));
  }

  private static boolean inEllipse(double r, double c, double cr, double cc, double rr, double rc) {
    double dr = (r - cr) / rr;
    double dc = (c - cc) / rc;
    return dr * dr + dc * dc <= 1;
  }

  /**
   * The area of output pixel (x, y)'s footprint inside the labelled voxels, as a fraction of the
   * footprint within the source: voxel {@code i} spans source index {@code [i - 0.5, i + 0.5]}; the
   * pixel spans one step around the source index of its centre.
   */
  private static double coveredFraction(
      double[] labels, int rows, int columns, SliceGrid grid, int x, int y) {
    double c0 = Math.max(-0.5, grid.sourceColumn(x) - grid.columnStep() / 2);
    double c1 = Math.min(columns - 0.5, grid.sourceColumn(x) + grid.columnStep() / 2);
    double r0 = Math.max(-0.5, grid.sourceRow(y) - grid.rowStep() / 2);
    double r1 = Math.min(rows - 0.5, grid.sourceRow(y) + grid.rowStep() / 2);
    double total = 0;
    double covered = 0;
    for (int r = (int) Math.floor(r0 + 0.5);
        r <= Math.min(rows - 1, (int) Math.ceil(r1 - 0.5));
        r++) {
      double hr = Math.min(r1, r + 0.5) - Math.max(r0, r - 0.5);
      if (hr <= 0) {
        continue;
      }
      for (int c = (int) Math.floor(c0 + 0.5);
          c <= Math.min(columns - 1, (int) Math.ceil(c1 - 0.5));
          c++) {
        double hc = Math.min(c1, c + 0.5) - Math.max(c0, c - 0.5);
        if (hc <= 0) {
          continue;
        }
        total += hr * hc;
        covered += labels[c + columns * r] * hr * hc;
      }
    }
    return total == 0 ? 0 : covered / total;
  }

  /** The label's (class 1) or the intensities' centroid, as (column, row). */
  private static double[] centroid(SagittalSlice slice, boolean label) {
    double sum = 0;
    double sx = 0;
    double sy = 0;
    for (int i = 0; i < slice.pixels().length; i++) {
      double w = label ? (slice.label()[i] == 1 ? 1 : 0) : slice.pixels()[i];
      sum += w;
      sx += w * (i % slice.width());
      sy += w * (i / slice.width());
    }
    return new double[] {sx / sum, sy / sum};
  }
}
