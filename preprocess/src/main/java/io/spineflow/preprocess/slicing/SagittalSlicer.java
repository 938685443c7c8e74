package io.spineflow.preprocess.slicing;

import io.spineflow.imaging.Image;
import io.spineflow.imaging.ImageGeometry;
import io.spineflow.imaging.labels.LabelCoverage;
import io.spineflow.imaging.labels.SliceLabelScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The whole image work of preprocessing, as one pure function of a study: find the sagittal axis
 * from the header, reorient, merge labels, resample each slice to isotropic pixels fitted into the
 * model input, normalise intensities, and filter. No Kafka, no clock, no state.
 */
public final class SagittalSlicer {
  /** A label origin may differ from the image's by this fraction of the smallest spacing. */
  static final double ORIGIN_TOLERANCE_VOXELS = 1e-3;

  /** Relative tolerance on spacing, absolute on direction cosines. */
  static final double SPACING_TOLERANCE = 1e-4;

  static final double DIRECTION_TOLERANCE = 1e-4;

  private final int width;
  private final int height;
  private final IntensityNormaliser normaliser;
  private final SliceFilter filter;
  private final SpineRegion spineRegion;

  /**
   * @param width model input columns
   * @param height model input rows
   * @param filter applied to labelled studies
   * @param spineRegion applied to unlabelled studies
   */
  public SagittalSlicer(
      int width,
      int height,
      IntensityNormaliser normaliser,
      SliceFilter filter,
      SpineRegion spineRegion) {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("output size must be positive");
    }
    this.width = width;
    this.height = height;
    this.normaliser = normaliser;
    this.filter = filter;
    this.spineRegion = spineRegion;
  }

  /**
   * Slices one study.
   *
   * @param label the SPIDER mask on the image's grid, or null for an unlabelled study
   * @throws StudyRejectedException when the study cannot be sliced (no sagittal axis, a mask on
   *     another grid, an unknown label value, non-finite intensities)
   */
  public SlicedStudy slice(Image image, Image label) {
    return slice(image, label, null);
  }

  /**
   * Slices one study whose label may be partial: each kept slice carries the study's {@link
   * SliceLabelScope} (see {@link StudyLabelScope}), and the filters judge only the labelled classes
   * inside the labelled extent.
   *
   * @param coverage what {@code label} labels; null for a complete label (ignored without a label)
   * @throws StudyRejectedException as {@link #slice(Image, Image)}
   */
  public SlicedStudy slice(Image image, Image label, LabelCoverage coverage) {
    ImageGeometry geometry = image.geometry();
    SagittalAxis sagittal = SagittalAxis.of(geometry);
    byte[] classes = null;
    if (label != null) {
      requireSameGrid(geometry, label.geometry());
      classes = LabelMerge.merge(label);
    }
    Reorientation orientation = Reorientation.of(geometry, sagittal);
    SliceGrid grid =
        SliceGrid.fit(
            orientation.rows(),
            orientation.columns(),
            orientation.rowSpacing(),
            orientation.columnSpacing(),
            width,
            height);
    InPlaneResampler resampler = new InPlaneResampler(orientation, grid);
    IntensityNormaliser.Window window = normaliser.window(image);
    VoxelReader voxels = VoxelReader.of(image);
    SliceLabelScope scope =
        classes == null ? null : StudyLabelScope.of(coverage, classes, resampler);

    List<SagittalSlice> kept = new ArrayList<>();
    Map<String, Integer> dropped = new TreeMap<>();
    for (int s = 0; s < orientation.slices(); s++) {
      byte[] sliceLabel = null;
      String dropReason = null;
      if (classes != null) {
        sliceLabel = resampler.nearest(classes, s);
        dropReason = filter.dropReason(sliceLabel, grid, scope).orElse(null);
      } else if (!spineRegion.contains(orientation, s)) {
        dropReason = SpineRegion.OUTSIDE_SPINE_REGION;
      }
      if (dropReason != null) {
        dropped.merge(dropReason, 1, Integer::sum);
        continue;
      }
      float[] pixels = resampler.bilinear(voxels, s);
      IntensityNormaliser.apply(window, pixels, grid);
      kept.add(
          new SagittalSlice(
              s,
              orientation.sourceSliceIndex(s),
              width,
              height,
              pixels,
              sliceLabel,
              grid.pixelSpacing(),
              orientation.sliceSpacing(),
              pixelToPhysical(geometry, orientation, grid, s),
              scope));
    }
    return new SlicedStudy(
        sagittal, orientation, label != null, orientation.slices(), kept, dropped);
  }

  /**
   * The affine taking output pixel (column, row, 1) of reoriented slice {@code slice} to its
   * physical LPS point: through the grid to the continuous reoriented index, through the
   * reorientation to the file's array index, through the header (origin + direction · spacing ·
   * index) to physical space.
   */
  static double[] pixelToPhysical(
      ImageGeometry geometry, Reorientation orientation, SliceGrid grid, int slice) {
    double[] p00 = physical(geometry, orientation, grid, slice, 0, 0);
    double[] p10 = physical(geometry, orientation, grid, slice, 1, 0);
    double[] p01 = physical(geometry, orientation, grid, slice, 0, 1);
    double[] m = new double[9];
    for (int i = 0; i < 3; i++) {
      m[3 * i] = p10[i] - p00[i];
      m[3 * i + 1] = p01[i] - p00[i];
      m[3 * i + 2] = p00[i];
    }
    return m;
  }

  private static double[] physical(
      ImageGeometry geometry,
      Reorientation orientation,
      SliceGrid grid,
      int slice,
      int column,
      int row) {
    double[] index = orientation.arrayIndex(slice, grid.sourceRow(row), grid.sourceColumn(column));
    double[] origin = geometry.origin();
    double[] spacing = geometry.spacing();
    double[] point = new double[3];
    for (int i = 0; i < 3; i++) {
      point[i] = origin[i];
      for (int axis = 0; axis < 3; axis++) {
        point[i] += geometry.direction(i, axis) * spacing[axis] * index[axis];
      }
    }
    return point;
  }

  /**
   * @throws StudyRejectedException {@code GEOMETRY_MISMATCH} naming the first field that differs
   */
  static void requireSameGrid(ImageGeometry image, ImageGeometry label) {
    if (!java.util.Arrays.equals(image.size(), label.size())) {
      throw mismatch(
          "label.size",
          "equal to image size " + java.util.Arrays.toString(image.size()),
          java.util.Arrays.toString(label.size()));
    }
    double[] is = image.spacing();
    double[] ls = label.spacing();
    double minSpacing = Double.POSITIVE_INFINITY;
    for (int i = 0; i < is.length; i++) {
      minSpacing = Math.min(minSpacing, is[i]);
      if (Math.abs(is[i] - ls[i]) > SPACING_TOLERANCE * is[i]) {
        throw mismatch(
            "label.spacing",
            "equal to image spacing " + java.util.Arrays.toString(is) + " within 0.01 %",
            java.util.Arrays.toString(ls));
      }
    }
    double[] io = image.origin();
    double[] lo = label.origin();
    double originTolerance = ORIGIN_TOLERANCE_VOXELS * minSpacing;
    for (int i = 0; i < io.length; i++) {
      if (Math.abs(io[i] - lo[i]) > originTolerance) {
        throw mismatch(
            "label.origin",
            "equal to image origin " + java.util.Arrays.toString(io) + " within 0.001 voxel",
            java.util.Arrays.toString(lo));
      }
    }
    double[] id = image.direction();
    double[] ld = label.direction();
    for (int i = 0; i < id.length; i++) {
      if (Math.abs(id[i] - ld[i]) > DIRECTION_TOLERANCE) {
        throw mismatch(
            "label.direction",
            "equal to image direction " + java.util.Arrays.toString(id) + " within 1e-4",
            java.util.Arrays.toString(ld));
      }
    }
  }

  private static StudyRejectedException mismatch(String field, String limit, String actual) {
    return new StudyRejectedException(
        StudyRejectedException.GEOMETRY_MISMATCH,
        field,
        limit,
        "the label mask is not on the image's grid: "
            + field
            + " is "
            + actual
            + ", expected "
            + limit);
  }
}
