package io.spineflow.imaging.dicom;

import io.spineflow.imaging.ImageGeometry;
import java.util.Arrays;
import java.util.List;

/**
 * The volume grid a Segmentation's own functional groups define, for a Segmentation that references
 * no series (one {@link SegmentationWriter} wrote for a volume without DICOM carries its geometry
 * in Plane Orientation, Plane Position and Pixel Measures, and nothing else).
 *
 * <ul>
 *   <li>axis 0 along a frame's row, axis 1 down its column (Image Orientation (Patient), the same
 *       on every frame within {@value SeriesAssembler#COSINE_TOLERANCE});
 *   <li>axis 2 along the frames' normal (row × column), in the direction the frames run in file
 *       order: from the first frame's position towards the first position after it that differs (so
 *       a left-handed MetaImage grid, whose slices run against row × column, comes back as it was
 *       written; with every frame on one plane, along row × column);
 *   <li>spacing: Pixel Spacing (the same on every frame), Spacing Between Slices where given (the
 *       same on every frame), else the smallest gap between two frame positions; one position and
 *       neither: Slice Thickness;
 *   <li>origin: the frame position that comes first along axis 2; size: from it to the last
 *       position. A slice between them without a frame is on the grid but was not segmented.
 * </ul>
 *
 * Refusals, naming the frame and the limit: {@link ReasonCode#MISSING_ATTRIBUTE} (a frame without
 * position, orientation or pixel spacing; one position without any slice spacing), {@link
 * ReasonCode#SEGMENTATION_GRID_MISMATCH} (orientation or spacing differing between frames, a
 * position off the stack's axis or between two slices, more than {@value #MAX_SLICES} slices or
 * {@value #MAX_VOXELS} voxels).
 */
public final class SegmentationGrid {
  /** The most slices a grid spans (frames far apart would allocate a huge empty volume). */
  public static final int MAX_SLICES = 10_000;

  /** The most voxels a grid holds: {@link SeriesAssembler}'s limit, 2^28. */
  public static final long MAX_VOXELS = 1L << 28;

  private SegmentationGrid() {}

  /**
   * The grid of a Segmentation's frames.
   *
   * @param toleranceMm how far a spacing or position may be from the grid's (0.05 mm is what series
   *     assembly uses)
   */
  public static ImageGeometry of(SegmentationObject seg, double toleranceMm) throws DicomException {
    List<SegmentationObject.Frame> frames = seg.frames();
    FrameAttributes first = frames.get(0).attributes();
    double[] orientation = require(first.imageOrientationPatient(), 1, Part.ORIENTATION);
    double[] pixelSpacing = require(first.pixelSpacing(), 1, Part.SPACING);
    double[] row = Arrays.copyOfRange(orientation, 0, 3);
    double[] column = Arrays.copyOfRange(orientation, 3, 6);
    double[] normal = cross(row, column);
    Double between = first.spacingBetweenSlices();
    require(first.imagePositionPatient(), 1, Part.POSITION);
    requireOrthonormal(row, column);
    double[] along = alongNormal(frames, orientation, pixelSpacing, between, toleranceMm);
    double sign = direction(along, toleranceMm);
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    int originFrame = 0;
    for (int f = 0; f < along.length; f++) {
      double a = sign * along[f];
      if (a < min) {
        min = a;
        originFrame = f;
      }
      max = Math.max(max, a);
    }
    double spacing = sliceSpacing(between, along, first, toleranceMm);
    int slices = slices(along, sign, min, max, spacing, toleranceMm);
    long voxels = (long) seg.rows() * seg.columns() * slices;
    if (voxels > MAX_VOXELS) {
      throw mismatch(
          DicomTag.IMAGE_POSITION_PATIENT,
          slices
              + " slices of "
              + seg.rows()
              + " × "
              + seg.columns()
              + " exceed "
              + MAX_VOXELS
              + " voxels (SegmentationGrid.MAX_VOXELS)");
    }
    double[] direction = new double[9];
    for (int i = 0; i < 3; i++) {
      direction[i * 3] = row[i];
      direction[i * 3 + 1] = column[i];
      direction[i * 3 + 2] = sign * normal[i];
    }
    return new ImageGeometry(
        new int[] {seg.columns(), seg.rows(), slices},
        new double[] {pixelSpacing[1], pixelSpacing[0], spacing},
        frames.get(originFrame).attributes().imagePositionPatient().clone(),
        direction);
  }

  /**
   * Each frame's position along row × column, from frame 1's; every frame checked against frame 1's
   * orientation, spacings and stack axis.
   */
  private static double[] alongNormal(
      List<SegmentationObject.Frame> frames,
      double[] orientation,
      double[] pixelSpacing,
      Double between,
      double toleranceMm)
      throws DicomException {
    double[] row = Arrays.copyOfRange(orientation, 0, 3);
    double[] column = Arrays.copyOfRange(orientation, 3, 6);
    double[] normal = cross(row, column);
    double[] origin = frames.get(0).attributes().imagePositionPatient();
    double[] along = new double[frames.size()];
    for (int f = 0; f < frames.size(); f++) {
      FrameAttributes at = frames.get(f).attributes();
      int number = f + 1;
      double[] o = require(at.imageOrientationPatient(), number, Part.ORIENTATION);
      for (int i = 0; i < 6; i++) {
        if (Math.abs(o[i] - orientation[i]) > SeriesAssembler.COSINE_TOLERANCE) {
          throw mismatch(
              DicomTag.IMAGE_ORIENTATION_PATIENT,
              "frame "
                  + number
                  + " is not parallel to frame 1 (cosines differ by more than "
                  + SeriesAssembler.COSINE_TOLERANCE
                  + ")");
        }
      }
      double[] s = require(at.pixelSpacing(), number, Part.SPACING);
      if (Math.abs(s[0] - pixelSpacing[0]) > toleranceMm
          || Math.abs(s[1] - pixelSpacing[1]) > toleranceMm) {
        throw mismatch(
            DicomTag.PIXEL_SPACING,
            "frame " + number + " differs from frame 1 by more than " + toleranceMm + " mm");
      }
      Double b = at.spacingBetweenSlices();
      if (!sameOrBothNull(b, between, toleranceMm)) {
        throw mismatch(
            DicomTag.SPACING_BETWEEN_SLICES,
            "frame " + number + " differs from frame 1 by more than " + toleranceMm + " mm");
      }
      double[] p = require(at.imagePositionPatient(), number, Part.POSITION);
      double[] offset = minus(p, origin);
      double inRow = dot(offset, row);
      double inColumn = dot(offset, column);
      if (Math.abs(inRow) > toleranceMm || Math.abs(inColumn) > toleranceMm) {
        throw mismatch(
            DicomTag.IMAGE_POSITION_PATIENT,
            String.format(
                "frame %d lies %.3f, %.3f mm off frame 1's stack axis in plane; tolerance %.3f mm",
                number, inRow, inColumn, toleranceMm));
      }
      along[f] = dot(offset, normal);
    }
    return along;
  }

  private static void requireOrthonormal(double[] row, double[] column) throws DicomException {
    double t = SeriesAssembler.COSINE_TOLERANCE;
    if (Math.abs(dot(row, row) - 1) > t
        || Math.abs(dot(column, column) - 1) > t
        || Math.abs(dot(row, column)) > t) {
      throw Values.invalid(
          DicomTag.IMAGE_ORIENTATION_PATIENT,
          "frame 1's row and column cosines are not orthogonal unit vectors (within " + t + ")");
    }
  }

  private enum Part {
    POSITION(DicomTag.PLANE_POSITION_SEQUENCE, "ImagePositionPatient"),
    ORIENTATION(DicomTag.PLANE_ORIENTATION_SEQUENCE, "ImageOrientationPatient"),
    SPACING(DicomTag.PIXEL_MEASURES_SEQUENCE, "PixelSpacing");

    final DicomTag tag;
    final String what;

    Part(DicomTag tag, String what) {
      this.tag = tag;
      this.what = what;
    }
  }

  private static double[] require(double[] value, int frame, Part part) throws DicomException {
    if (value == null) {
      throw SegmentationObject.missing(
          part.tag,
          "frame " + frame + " has no " + part.what + ": without a series, it defines the grid");
    }
    return value;
  }

  private static boolean sameOrBothNull(Double a, Double b, double tolerance) {
    return a == null ? b == null : b != null && Math.abs(a - b) <= tolerance;
  }

  /** +1 when the frames run along row × column in file order, -1 when against it. */
  private static double direction(double[] along, double tolerance) {
    for (double a : along) {
      if (Math.abs(a - along[0]) > tolerance) {
        return a > along[0] ? 1 : -1;
      }
    }
    return 1;
  }

  private static double sliceSpacing(
      Double between, double[] along, FrameAttributes first, double tolerance)
      throws DicomException {
    if (between != null) {
      if (!(between > tolerance) || !Double.isFinite(between)) {
        throw Values.invalid(
            DicomTag.SPACING_BETWEEN_SLICES, between + " mm, expected more than " + tolerance);
      }
      return between;
    }
    double[] sorted = along.clone();
    Arrays.sort(sorted);
    double gap = Double.POSITIVE_INFINITY;
    for (int i = 1; i < sorted.length; i++) {
      double d = sorted[i] - sorted[i - 1];
      if (d > tolerance) {
        gap = Math.min(gap, d);
      }
    }
    if (Double.isFinite(gap)) {
      return gap;
    }
    Double thickness = first.sliceThickness();
    if (thickness == null || !(thickness > 0)) {
      throw SegmentationObject.missing(
          DicomTag.SPACING_BETWEEN_SLICES,
          "every frame lies on one plane and neither SpacingBetweenSlices nor SliceThickness"
              + " gives the grid a slice spacing");
    }
    return thickness;
  }

  /** The slice count from the first to the last position; every position on a slice. */
  private static int slices(
      double[] along, double sign, double min, double max, double spacing, double tolerance)
      throws DicomException {
    double span = (max - min) / spacing;
    if (span + 1 > MAX_SLICES) {
      throw mismatch(
          DicomTag.IMAGE_POSITION_PATIENT,
          String.format(
              "frames span %.1f mm, %.0f slices of %.3f mm; more than %d"
                  + " (SegmentationGrid.MAX_SLICES)",
              max - min, span + 1, spacing, MAX_SLICES));
    }
    for (int f = 0; f < along.length; f++) {
      double d = sign * along[f] - min;
      long k = Math.round(d / spacing);
      double off = Math.abs(d - k * spacing);
      if (off > tolerance) {
        throw mismatch(
            DicomTag.IMAGE_POSITION_PATIENT,
            String.format(
                "frame %d lies %.3f mm from the first slice, %.3f mm off slice %d of %.3f mm"
                    + " spacing; tolerance %.3f mm",
                f + 1, d, off, k + 1, spacing, tolerance));
      }
    }
    return (int) Math.round(span) + 1;
  }

  private static double[] cross(double[] a, double[] b) {
    return new double[] {
      a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]
    };
  }

  private static double[] minus(double[] a, double[] b) {
    return new double[] {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
  }

  private static double dot(double[] a, double[] b) {
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
  }

  private static DicomException mismatch(DicomTag tag, String problem) {
    return new DicomException(
        ReasonCode.SEGMENTATION_GRID_MISMATCH, tag.field(), tag.field() + ": " + problem);
  }
}
