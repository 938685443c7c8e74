package io.spineflow.imaging.dicom;

import io.spineflow.imaging.ElementType;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.ImageGeometry;
import io.spineflow.imaging.labels.LabelledStructure;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A Segmentation laid onto the grid of the series it segments: a label volume of SPIDER values (see
 * {@link SegmentAnatomy}) and the classes it labels. Only the classes of its segments are labelled;
 * for any other class a 0 means "not labelled", not background.
 *
 * @param label unsigned 8-bit, on the volume's grid (values up to 224 fit)
 * @param classes the structures the segmentation's segments label
 */
public record SegmentationLabels(Image label, Set<LabelledStructure> classes) {
  public SegmentationLabels {
    Objects.requireNonNull(label, "label");
    classes = Set.copyOf(classes);
  }

  /**
   * Lays each frame on the slice it lies on: same rows, columns, pixel spacing and orientation as
   * the volume, and a position on one of its slices within {@code toleranceMm}. The volume holds no
   * SOP Instance UIDs, so frames are placed by Plane Position (Patient), which every standard
   * multi-frame Segmentation carries (see the overload taking the instances for one that lacks it).
   * Where segments overlap the first frame in file order wins.
   *
   * @throws DicomException {@link ReasonCode#SEGMENT_ANATOMY_UNKNOWN} for a segment of an anatomy
   *     spineflow does not segment, {@link ReasonCode#SEGMENTATION_GRID_MISMATCH} for a frame off
   *     the grid or a segmentation of another series, {@link ReasonCode#MISSING_ATTRIBUTE} for a
   *     frame without position
   */
  public static SegmentationLabels map(
      SegmentationObject seg, DicomVolume volume, double toleranceMm) throws DicomException {
    return map(seg, volume, List.of(), toleranceMm);
  }

  /**
   * As {@link #map(SegmentationObject, DicomVolume, double)}; a frame without Plane Position takes
   * the position of its source image (Derivation Image Sequence's Referenced SOP Instance UID)
   * among {@code instances}, the series' single-frame instances the volume was assembled from. A
   * frame with both keeps its own position: that is where its pixels are.
   */
  public static SegmentationLabels map(
      SegmentationObject seg, DicomVolume volume, List<MrInstance> instances, double toleranceMm)
      throws DicomException {
    Map<String, double[]> sources = new HashMap<>();
    for (MrInstance instance : instances) {
      if (instance.image().frames().size() == 1) {
        sources.put(
            instance.sopInstanceUid(),
            instance.image().frames().get(0).attributes().imagePositionPatient());
      }
    }
    if (!volume.seriesInstanceUid().equals(seg.referencedSeriesUid())) {
      throw mismatch(
          DicomTag.REFERENCED_SERIES_SEQUENCE,
          seg.referencedSeriesUid() == null
              ? "references no series; the volume is series "
                  + Values.abbreviate(volume.seriesInstanceUid())
              : "references series "
                  + Values.abbreviate(seg.referencedSeriesUid())
                  + ", not "
                  + Values.abbreviate(volume.seriesInstanceUid()));
    }
    return lay(seg, volume.image().geometry(), sources, toleranceMm);
  }

  /**
   * Lays a Segmentation onto a grid the caller knows (a MetaImage study's geometry, for a
   * Segmentation {@link SegmentationWriter} wrote for it with {@link SegmentationSource.Volume}),
   * whatever series it references or none: each frame must match the grid as in {@link
   * #map(SegmentationObject, DicomVolume, double)} and carry its own Plane Position.
   *
   * @param grid a 3D grid: axis 0 along a frame's row, axis 1 down its column, axis 2 across the
   *     frames
   * @throws DicomException as {@link #map(SegmentationObject, DicomVolume, double)}, but for the
   *     series check
   */
  public static SegmentationLabels onGrid(
      SegmentationObject seg, ImageGeometry grid, double toleranceMm) throws DicomException {
    if (grid.dimensions() != 3) {
      throw new IllegalArgumentException("a label grid has 3 axes, not " + grid.dimensions());
    }
    return lay(seg, grid, Map.of(), toleranceMm);
  }

  /**
   * Lays a Segmentation onto the grid its own functional groups define ({@link
   * SegmentationGrid#of}): from its first to its last frame position, slices without a frame are 0,
   * not labelled.
   *
   * @throws DicomException {@link ReasonCode#SEGMENTATION_GRID_MISMATCH} or {@link
   *     ReasonCode#MISSING_ATTRIBUTE} when the frames do not make a grid (see {@link
   *     SegmentationGrid#of}), or as {@link #onGrid}
   */
  public static SegmentationLabels onOwnGrid(SegmentationObject seg, double toleranceMm)
      throws DicomException {
    return lay(seg, SegmentationGrid.of(seg, toleranceMm), Map.of(), toleranceMm);
  }

  private static SegmentationLabels lay(
      SegmentationObject seg, ImageGeometry g, Map<String, double[]> sources, double toleranceMm)
      throws DicomException {
    Map<Integer, SegmentAnatomy> anatomy = anatomies(seg);
    int columns = g.size()[0];
    int rows = g.size()[1];
    if (seg.rows() != rows || seg.columns() != columns) {
      throw mismatch(
          DicomTag.ROWS,
          seg.rows() + " × " + seg.columns() + " frames, the grid has " + rows + " × " + columns);
    }
    byte[] voxels = new byte[Math.toIntExact(g.voxelCount())];
    Set<LabelledStructure> classes = EnumSet.noneOf(LabelledStructure.class);
    int frameNumber = 0;
    for (SegmentationObject.Frame frame : seg.frames()) {
      frameNumber++;
      double[] position = frame.attributes().imagePositionPatient();
      if (position == null && frame.sourceSopInstanceUid() != null) {
        position = sources.get(frame.sourceSopInstanceUid());
      }
      if (position == null) {
        throw SegmentationObject.missing(
            DicomTag.PLANE_POSITION_SEQUENCE,
            "frame "
                + frameNumber
                + " has no ImagePositionPatient, and its source image is not one of the series'");
      }
      int slice = slice(position, frame.attributes(), g, toleranceMm, frameNumber);
      SegmentAnatomy a = anatomy.get(frame.segmentNumber());
      classes.add(a.structure());
      BitSet mask = frame.mask();
      int base = slice * rows * columns;
      for (int p = mask.nextSetBit(0); p >= 0; p = mask.nextSetBit(p + 1)) {
        if (voxels[base + p] == 0) {
          voxels[base + p] = (byte) a.spiderValue();
        }
      }
    }
    return new SegmentationLabels(Image.wrap(g, ElementType.UCHAR, voxels), classes);
  }

  /**
   * Checks that every segment names an anatomy spineflow labels, before the segmented series is at
   * hand: what a door checks so a Segmentation of, say, the liver is refused at once.
   *
   * @throws DicomException {@link ReasonCode#SEGMENT_ANATOMY_UNKNOWN} naming the first segment that
   *     does not
   */
  public static void requireKnownAnatomy(SegmentationObject seg) throws DicomException {
    anatomies(seg);
  }

  private static Map<Integer, SegmentAnatomy> anatomies(SegmentationObject seg)
      throws DicomException {
    Map<Integer, SegmentAnatomy> out = new HashMap<>();
    for (SegmentationObject.Segment s : seg.segments().values()) {
      SegmentAnatomy a = SegmentAnatomy.of(s.typeScheme(), s.typeCode());
      if (a == null) {
        DicomTag tag = DicomTag.SEGMENTED_PROPERTY_TYPE_CODE_SEQUENCE;
        throw new DicomException(
            ReasonCode.SEGMENT_ANATOMY_UNKNOWN,
            tag.field(),
            tag.field()
                + ": segment "
                + s.number()
                + " is ("
                + Values.abbreviate(String.valueOf(s.typeCode()))
                + ", "
                + Values.abbreviate(String.valueOf(s.typeScheme()))
                + ", '"
                + Values.abbreviate(String.valueOf(s.typeMeaning()))
                + "'); spineflow labels SCT vertebrae (CID 7603), discs (CID 7604) and the"
                + " spinal cord (2748008)");
      }
      out.put(s.number(), a);
    }
    return out;
  }

  /** The slice index a frame lies on. */
  private static int slice(
      double[] position, FrameAttributes at, ImageGeometry g, double tolerance, int frame)
      throws DicomException {
    double[] orientation = at.imageOrientationPatient();
    if (orientation != null) {
      for (int i = 0; i < 6; i++) {
        double expected = g.direction(i % 3, i / 3);
        if (Math.abs(orientation[i] - expected) > SeriesAssembler.COSINE_TOLERANCE) {
          throw mismatch(
              DicomTag.IMAGE_ORIENTATION_PATIENT,
              "frame " + frame + " is not parallel to the series");
        }
      }
    }
    double[] spacing = at.pixelSpacing();
    if (spacing != null
        && (Math.abs(spacing[0] - g.spacing()[1]) > tolerance
            || Math.abs(spacing[1] - g.spacing()[0]) > tolerance)) {
      throw mismatch(
          DicomTag.PIXEL_SPACING,
          "frame " + frame + " has " + spacing[0] + "\\" + spacing[1] + " mm pixels");
    }
    double[] offset = new double[3];
    for (int i = 0; i < 3; i++) {
      offset[i] = position[i] - g.origin()[i];
    }
    double along = 0;
    double inRow = 0;
    double inColumn = 0;
    for (int i = 0; i < 3; i++) {
      inRow += offset[i] * g.direction(i, 0);
      inColumn += offset[i] * g.direction(i, 1);
      along += offset[i] * g.direction(i, 2);
    }
    long k = Math.round(along / g.spacing()[2]);
    double off = Math.abs(along - k * g.spacing()[2]);
    if (Math.abs(inRow) > tolerance
        || Math.abs(inColumn) > tolerance
        || off > tolerance
        || k < 0
        || k >= g.size()[2]) {
      throw mismatch(
          DicomTag.IMAGE_POSITION_PATIENT,
          String.format(
              "frame %d lies %.3f mm along the slices (slice %d of %d, %.3f mm off) and %.3f, %.3f"
                  + " mm off the first pixel in plane; tolerance %.3f mm",
              frame, along, k + 1, g.size()[2], off, inRow, inColumn, tolerance));
    }
    return (int) k;
  }

  private static DicomException mismatch(DicomTag tag, String problem) {
    return new DicomException(
        ReasonCode.SEGMENTATION_GRID_MISMATCH, tag.field(), tag.field() + ": " + problem);
  }
}
