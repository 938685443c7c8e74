package io.spineflow.imaging.dicom;

import io.spineflow.imaging.ElementType;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.ImageGeometry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Assembles the instances of one series into a 3D volume, as ITK's and dcm2niix's series readers
 * do: every frame of every instance (a classic image has one; an Enhanced MR image many, placed by
 * its per-frame functional groups) is a slice; slices are sorted by Image Position (Patient)
 * projected on the slice normal (row cosines × column cosines); the slice spacing comes from the
 * positions (Slice Thickness says nothing about gaps). The stack must be consistent within the
 * tolerance: one size, one orientation, one pixel spacing, positions on one line along the normal
 * at equal distances; a duplicated position or a whole missing slice is named. Pure and
 * thread-safe.
 *
 * <p>The volume's geometry follows ITK: axis 0 runs along a row (the row cosines, spacing = Pixel
 * Spacing's second value), axis 1 down a column (the column cosines, Pixel Spacing's first value),
 * axis 2 along the normal in the order of increasing projection; the origin is the first pixel of
 * the first slice. Voxels are 16-bit integers when every value is one (MR usually: signed when a
 * value is negative), 32-bit floats otherwise (a fractional rescale).
 */
public final class SeriesAssembler {
  /** Default tolerance for positions and spacings, in mm. */
  public static final double DEFAULT_TOLERANCE_MM = 0.05;

  /** How far two slices' direction cosines may differ (about 0.06°). */
  public static final double COSINE_TOLERANCE = 1e-3;

  /** The largest volume assembled, in voxels (as {@code MetaImageLimits}' default). */
  public static final long MAX_VOXELS = 1L << 28;

  private final double toleranceMm;

  public SeriesAssembler() {
    this(DEFAULT_TOLERANCE_MM);
  }

  /**
   * @param toleranceMm how far positions may stray from their line and spacings from one another
   */
  public SeriesAssembler(double toleranceMm) {
    if (!(toleranceMm >= 0)) {
      throw new IllegalArgumentException("tolerance must be >= 0, got " + toleranceMm);
    }
    this.toleranceMm = toleranceMm;
  }

  /** One frame as a slice of the stack, with how messages name it. */
  private record Slice(float[] values, FrameAttributes at, int rows, int columns, String name) {}

  /**
   * Builds the volume.
   *
   * @param instances the series' instances, in any order, each checked by {@link MrInstance#read}
   * @throws SeriesException naming the inconsistency (and the instances or positions at fault)
   */
  public DicomVolume assemble(List<MrInstance> instances) throws SeriesException {
    if (instances.isEmpty()) {
      throw new SeriesException(
          SeriesReason.SERIES_TOO_FEW_SLICES, (String) null, "no instance to assemble");
    }
    String series = sameSeries(instances);
    List<Slice> slices = slices(instances);
    Slice first = slices.get(0);
    double[] row = Arrays.copyOfRange(first.at().imageOrientationPatient(), 0, 3);
    double[] column = Arrays.copyOfRange(first.at().imageOrientationPatient(), 3, 6);
    double[] normal = unit(cross(row, column));
    checkSameGrid(slices, first);
    slices.sort(Comparator.comparingDouble(s -> dot(normal, s.at().imagePositionPatient())));
    checkNoDuplicates(slices, normal);
    checkOnOneLine(slices, normal);
    double spacing = sliceSpacing(slices, normal);
    long voxels = (long) first.rows() * first.columns() * slices.size();
    if (voxels > MAX_VOXELS) {
      throw new SeriesException(
          SeriesReason.SERIES_TOO_LARGE,
          (String) null,
          "the volume would have " + voxels + " voxels, more than " + MAX_VOXELS);
    }
    double[] pixel = first.at().pixelSpacing();
    double[] direction = new double[9];
    for (int r = 0; r < 3; r++) {
      direction[r * 3] = row[r];
      direction[r * 3 + 1] = column[r];
      direction[r * 3 + 2] = normal[r];
    }
    ImageGeometry geometry =
        new ImageGeometry(
            new int[] {first.columns(), first.rows(), slices.size()},
            new double[] {pixel[1], pixel[0], spacing},
            slices.get(0).at().imagePositionPatient(),
            direction);
    return new DicomVolume(
        series, voxels(geometry, slices), instances.size(), spacing, DicomVolume.Plane.of(normal));
  }

  private static String sameSeries(List<MrInstance> instances) throws SeriesException {
    String series = instances.get(0).seriesInstanceUid();
    for (MrInstance instance : instances) {
      if (!instance.seriesInstanceUid().equals(series)) {
        throw new SeriesException(
            SeriesReason.SERIES_MIXED,
            DicomTag.SERIES_INSTANCE_UID,
            DicomTag.SERIES_INSTANCE_UID.field()
                + ": instances of more than one series ("
                + series
                + ", "
                + instance.seriesInstanceUid()
                + ")");
      }
    }
    return series;
  }

  private static List<Slice> slices(List<MrInstance> instances) {
    List<Slice> slices = new ArrayList<>();
    for (MrInstance instance : instances) {
      DicomImage image = instance.image();
      Long number = instance.instanceNumber();
      String name = "instance " + (number != null ? number : "UID " + instance.sopInstanceUid());
      int frames = image.frames().size();
      for (int f = 0; f < frames; f++) {
        DicomImage.Frame frame = image.frames().get(f);
        slices.add(
            new Slice(
                frame.values(),
                frame.attributes(),
                image.pixels().rows(),
                image.pixels().columns(),
                frames == 1 ? name : "frame " + (f + 1) + " of " + name));
      }
    }
    return slices;
  }

  private void checkSameGrid(List<Slice> slices, Slice first) throws SeriesException {
    for (Slice s : slices) {
      if (s.rows() != first.rows() || s.columns() != first.columns()) {
        throw new SeriesException(
            SeriesReason.SERIES_INCONSISTENT_SIZE,
            DicomTag.ROWS,
            "Rows × Columns: "
                + s.rows()
                + "×"
                + s.columns()
                + " in "
                + s.name()
                + ", "
                + first.rows()
                + "×"
                + first.columns()
                + " in "
                + first.name());
      }
      if (!close(
          s.at().imageOrientationPatient(),
          first.at().imageOrientationPatient(),
          COSINE_TOLERANCE)) {
        throw new SeriesException(
            SeriesReason.SERIES_INCONSISTENT_ORIENTATION,
            DicomTag.IMAGE_ORIENTATION_PATIENT,
            DicomTag.IMAGE_ORIENTATION_PATIENT.field()
                + ": "
                + text(s.at().imageOrientationPatient())
                + " in "
                + s.name()
                + ", "
                + text(first.at().imageOrientationPatient())
                + " in "
                + first.name()
                + " (tolerance "
                + COSINE_TOLERANCE
                + ")");
      }
      if (!close(s.at().pixelSpacing(), first.at().pixelSpacing(), toleranceMm)) {
        throw new SeriesException(
            SeriesReason.SERIES_INCONSISTENT_SPACING,
            DicomTag.PIXEL_SPACING,
            DicomTag.PIXEL_SPACING.field()
                + ": "
                + text(s.at().pixelSpacing())
                + " mm in "
                + s.name()
                + ", "
                + text(first.at().pixelSpacing())
                + " mm in "
                + first.name()
                + " (tolerance "
                + toleranceMm
                + " mm)");
      }
    }
  }

  private void checkNoDuplicates(List<Slice> sorted, double[] normal) throws SeriesException {
    List<String> duplicates = new ArrayList<>();
    for (int i = 1; i < sorted.size(); i++) {
      Slice a = sorted.get(i - 1);
      Slice b = sorted.get(i);
      double gap =
          dot(normal, b.at().imagePositionPatient()) - dot(normal, a.at().imagePositionPatient());
      if (gap <= toleranceMm) {
        duplicates.add(
            a.name() + " and " + b.name() + " at " + text(b.at().imagePositionPatient()));
      }
    }
    if (!duplicates.isEmpty()) {
      throw new SeriesException(
          SeriesReason.SERIES_DUPLICATE_POSITION,
          DicomTag.IMAGE_POSITION_PATIENT,
          DicomTag.IMAGE_POSITION_PATIENT.field()
              + ": "
              + duplicates.size()
              + " duplicated position(s) (a time series or a repeated acquisition?): "
              + firstFew(duplicates));
    }
  }

  private void checkOnOneLine(List<Slice> sorted, double[] normal) throws SeriesException {
    double[] origin = sorted.get(0).at().imagePositionPatient();
    for (Slice s : sorted) {
      double[] p = s.at().imagePositionPatient();
      double[] offset = {p[0] - origin[0], p[1] - origin[1], p[2] - origin[2]};
      double along = dot(normal, offset);
      double[] across = {
        offset[0] - along * normal[0], offset[1] - along * normal[1], offset[2] - along * normal[2]
      };
      double off = Math.sqrt(dot(across, across));
      if (off > toleranceMm) {
        throw new SeriesException(
            SeriesReason.SERIES_POSITIONS_OFF_AXIS,
            DicomTag.IMAGE_POSITION_PATIENT,
            DicomTag.IMAGE_POSITION_PATIENT.field()
                + ": "
                + s.name()
                + " at "
                + text(p)
                + " lies "
                + round(off)
                + " mm off the line through "
                + sorted.get(0).name()
                + " along the slice normal (tolerance "
                + toleranceMm
                + " mm)");
      }
    }
  }

  /**
   * The distance between adjacent slices: the median gap, every gap within the tolerance of it. A
   * gap of k spacings (k ≥ 2) means k - 1 missing slices, named by their positions.
   */
  private double sliceSpacing(List<Slice> sorted, double[] normal) throws SeriesException {
    if (sorted.size() == 1) {
      FrameAttributes at = sorted.get(0).at();
      Double declared =
          at.spacingBetweenSlices() != null ? at.spacingBetweenSlices() : at.sliceThickness();
      return declared != null && declared > 0 ? declared : 1.0;
    }
    double[] gaps = new double[sorted.size() - 1];
    for (int i = 1; i < sorted.size(); i++) {
      gaps[i - 1] =
          dot(normal, sorted.get(i).at().imagePositionPatient())
              - dot(normal, sorted.get(i - 1).at().imagePositionPatient());
    }
    double[] ordered = gaps.clone();
    Arrays.sort(ordered);
    double spacing = ordered[(ordered.length - 1) / 2];
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < gaps.length; i++) {
      long k = Math.round(gaps[i] / spacing);
      if (Math.abs(gaps[i] - spacing) <= toleranceMm) {
        continue;
      }
      Slice before = sorted.get(i);
      Slice after = sorted.get(i + 1);
      if (k >= 2 && Math.abs(gaps[i] - k * spacing) <= toleranceMm * k) {
        double[] p = before.at().imagePositionPatient();
        for (int j = 1; j < k; j++) {
          missing.add(
              text(
                  new double[] {
                    p[0] + j * spacing * normal[0],
                    p[1] + j * spacing * normal[1],
                    p[2] + j * spacing * normal[2]
                  }));
        }
        continue;
      }
      throw new SeriesException(
          SeriesReason.SERIES_INCONSISTENT_SPACING,
          DicomTag.IMAGE_POSITION_PATIENT,
          DicomTag.IMAGE_POSITION_PATIENT.field()
              + ": "
              + round(gaps[i])
              + " mm between "
              + before.name()
              + " and "
              + after.name()
              + ", "
              + round(spacing)
              + " mm between the other slices (tolerance "
              + toleranceMm
              + " mm)");
    }
    if (!missing.isEmpty()) {
      throw new SeriesException(
          SeriesReason.SERIES_MISSING_POSITION,
          DicomTag.IMAGE_POSITION_PATIENT,
          DicomTag.IMAGE_POSITION_PATIENT.field()
              + ": "
              + missing.size()
              + " slice(s) missing, "
              + round(spacing)
              + " mm apart, at "
              + firstFew(missing));
    }
    return spacing;
  }

  /** The voxels as 16-bit integers when every value is one, else as 32-bit floats. */
  private static Image voxels(ImageGeometry geometry, List<Slice> slices) {
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    boolean integral = true;
    for (Slice s : slices) {
      for (float v : s.values()) {
        min = Math.min(min, v);
        max = Math.max(max, v);
        integral &= v == Math.rint(v);
      }
    }
    ElementType type;
    if (integral && min >= Short.MIN_VALUE && max <= Short.MAX_VALUE) {
      type = ElementType.SHORT;
    } else if (integral && min >= 0 && max <= 0xFFFF) {
      type = ElementType.USHORT;
    } else {
      type = ElementType.FLOAT;
    }
    int perSlice = slices.get(0).values().length;
    ByteBuffer out =
        ByteBuffer.allocate(perSlice * slices.size() * type.bytes()).order(ByteOrder.LITTLE_ENDIAN);
    for (Slice s : slices) {
      for (float v : s.values()) {
        switch (type) {
          case SHORT, USHORT -> out.putShort((short) (int) v);
          default -> out.putFloat(v);
        }
      }
    }
    return Image.wrap(geometry, type, out.array());
  }

  private static String firstFew(List<String> items) {
    int shown = Math.min(5, items.size());
    String text = String.join("; ", items.subList(0, shown));
    return items.size() > shown ? text + "; and " + (items.size() - shown) + " more" : text;
  }

  private static boolean close(double[] a, double[] b, double tolerance) {
    for (int i = 0; i < a.length; i++) {
      if (Math.abs(a[i] - b[i]) > tolerance) {
        return false;
      }
    }
    return true;
  }

  static double[] cross(double[] a, double[] b) {
    return new double[] {
      a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]
    };
  }

  private static double[] unit(double[] v) {
    double n = Math.sqrt(dot(v, v));
    return new double[] {v[0] / n, v[1] / n, v[2] / n};
  }

  private static double dot(double[] a, double[] b) {
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
  }

  private static String round(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  private static String text(double[] values) {
    StringBuilder out = new StringBuilder("(");
    for (int i = 0; i < values.length; i++) {
      out.append(i == 0 ? "" : ", ").append(round(values[i]));
    }
    return out.append(")").toString();
  }
}
