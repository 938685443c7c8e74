package io.spineflow.imaging.dicom;

import static io.spineflow.imaging.dicom.SegmentationTags.*;

import io.spineflow.imaging.Image;
import io.spineflow.imaging.ImageGeometry;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Writes a label volume as a binary DICOM Segmentation (Segmentation Storage {@value
 * SegmentationObject#SEGMENTATION_STORAGE}, Explicit VR Little Endian, PS3.3 A.51): one segment per
 * structure the volume labels, coded from {@link SegmentAnatomy}'s table, and for every slice that
 * was segmented one frame per segment (an empty frame where the segment is absent), so the slices
 * with frames are exactly the segmented ones: a slice flagged "not segmented" has no frame at all,
 * never a background frame.
 *
 * <p>A segmentation of a DICOM series references it (Referenced Series Sequence, a Derivation Image
 * per frame) and shares its study, patient and frame of reference; one of a volume without DICOM
 * gets study and frame of reference UIDs derived from the volume's key. The SOP Instance and Series
 * Instance UIDs are derived from the source, the algorithm and the content ({@link
 * SegmentationUids}): writing the same result again gives the same UIDs.
 */
public final class SegmentationWriter {
  /** Written as Manufacturer, Manufacturer's Model Name (Enhanced General Equipment). */
  public static final String MANUFACTURER_NAME = "spineflow";

  private static final String CONTENT_LABEL_VALUE = "SPINE";
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss.SSSSSS");

  private SegmentationWriter() {}

  /** How label values become segments. */
  public enum Labelling {
    /**
     * SPIDER values with levels: vertebrae 1–24 (L5 = 1), canal 100, discs 201–208 (L5/S1 = 201),
     * each its own segment coded with its level's SNOMED CT code.
     */
    LEVELS,
    /**
     * Classes without level (preprocessing's 4-class merge 0/1/100/201, or SPIDER values merged):
     * every 1–99 is one "Vertebra" segment, 100 the canal, every 201–224 one disc segment; they
     * read back as 1, 100 and 201.
     */
    CLASSES
  }

  /** The model that made the labels: Segment Algorithm Name and Algorithm Name/Version. */
  public record Algorithm(String name, String version) {
    public Algorithm {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(version, "version");
    }
  }

  /**
   * What to write.
   *
   * @param label a 3D integer volume of SPIDER values; axis 0 along a row, axis 1 down a column,
   *     axis 2 across slices (the geometry of {@link DicomVolume} and of MetaImage studies)
   * @param segmented the slices (axis 2 indices) that were segmented; the others are left out
   * @param created Content Date/Time and Instance Creation Date/Time (UTC); not part of the UIDs
   * @param seriesNumber the Segmentation's Series Number
   */
  public record Request(
      Image label,
      BitSet segmented,
      Labelling labelling,
      Algorithm algorithm,
      SegmentationSource source,
      Instant created,
      int seriesNumber) {
    public Request {
      Objects.requireNonNull(label, "label");
      Objects.requireNonNull(labelling, "labelling");
      Objects.requireNonNull(algorithm, "algorithm");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(created, "created");
      segmented = (BitSet) segmented.clone();
    }
  }

  /**
   * One written segment.
   *
   * @param labelValue the value its voxels read back as ({@link SegmentAnatomy#of})
   * @param voxels how many voxels it holds
   */
  public record Segment(int number, int labelValue, SegmentAnatomy.Code type, long voxels) {}

  /** The written file and what it holds. */
  public record Written(
      byte[] part10,
      String sopInstanceUid,
      String seriesInstanceUid,
      String studyInstanceUid,
      String frameOfReferenceUid,
      List<Segment> segments,
      int frames) {}

  /**
   * Writes the Segmentation.
   *
   * @throws IllegalArgumentException for a label that is not 3D, a value without a code (negative,
   *     fractional, 101–200, 225+; 25–99 or 209–224 under {@link Labelling#LEVELS}), a segmented
   *     slice outside the volume, or nothing to write (no slice segmented, no voxel labelled: a
   *     Segmentation holds at least one segment and one frame)
   */
  public static Written write(Request request) throws DicomException {
    ImageGeometry g = request.label().geometry();
    if (g.dimensions() != 3) {
      throw new IllegalArgumentException("a label volume has 3 axes, not " + g.dimensions());
    }
    int slices = g.size()[2];
    if (request.segmented().length() > slices) {
      throw new IllegalArgumentException(
          "slice "
              + (request.segmented().length() - 1)
              + " is flagged segmented; the volume has "
              + slices);
    }
    if (request.segmented().isEmpty()) {
      throw new IllegalArgumentException("no slice was segmented: there is nothing to write");
    }
    Content content = Content.of(request);
    if (content.segments().isEmpty()) {
      throw new IllegalArgumentException(
          "no voxel of a segmented slice is labelled: a Segmentation needs a segment");
    }
    Uids uids = Uids.of(request, content.digest());
    DataSetBuilder b = new DataSetBuilder();
    header(b, request, uids, content);
    SegmentationFrames.write(b, request, content, uids.dimensionOrganization());
    byte[] part10 =
        DicomWriter.write(b.build(), TransferSyntax.of(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
    return new Written(
        part10,
        uids.instance(),
        uids.series(),
        uids.study(),
        uids.frameOfReference(),
        content.segments(),
        content.segments().size() * request.segmented().cardinality());
  }

  /**
   * The segments a label holds on its segmented slices, and a digest of what is written.
   *
   * @param values the value each voxel reads back as (0 outside any segment), by voxel index
   */
  record Content(List<Segment> segments, byte[] values, byte[] digest) {
    static Content of(Request request) {
      Image label = request.label();
      ImageGeometry g = label.geometry();
      int plane = g.size()[0] * g.size()[1];
      byte[] values = new byte[Math.toIntExact(g.voxelCount())];
      Map<Integer, long[]> counts = new TreeMap<>();
      BitSet segmented = request.segmented();
      for (int k = segmented.nextSetBit(0); k >= 0; k = segmented.nextSetBit(k + 1)) {
        for (int p = 0; p < plane; p++) {
          int index = k * plane + p;
          int value = readBack(label.voxel(index), request.labelling(), index, g);
          if (value != 0) {
            values[index] = (byte) value;
            counts.computeIfAbsent(value, v -> new long[1])[0]++;
          }
        }
      }
      List<Segment> segments = new ArrayList<>();
      for (Map.Entry<Integer, long[]> e : counts.entrySet()) {
        segments.add(
            new Segment(
                segments.size() + 1,
                e.getKey(),
                code(e.getKey(), request.labelling()),
                e.getValue()[0]));
      }
      return new Content(List.copyOf(segments), values, digest(request, values));
    }

    private static int readBack(double voxel, Labelling labelling, int index, ImageGeometry g) {
      int v = (int) voxel;
      if (v != voxel || v < 0 || (v != 0 && SegmentAnatomy.classOf(v) == null)) {
        throw badValue(voxel, index, g, "not a SPIDER label value (0, 1–99, 100, 201–224)");
      }
      if (v == 0) {
        return 0;
      }
      if (labelling == Labelling.CLASSES) {
        return switch (SegmentAnatomy.classOf(v)) {
          case VERTEBRAE, VERTEBRAL_BODIES -> 1;
          case CANAL -> 100;
          case DISCS -> 201;
        };
      }
      if (SegmentAnatomy.codeOf(v) == null) {
        throw badValue(voxel, index, g, "a level without a code (vertebrae 1–24, discs 201–208)");
      }
      return v;
    }

    private static SegmentAnatomy.Code code(int value, Labelling labelling) {
      return labelling == Labelling.LEVELS
          ? SegmentAnatomy.codeOf(value)
          : SegmentAnatomy.classCode(SegmentAnatomy.classOf(value));
    }

    private static IllegalArgumentException badValue(
        double voxel, int index, ImageGeometry g, String problem) {
      int plane = g.size()[0] * g.size()[1];
      return new IllegalArgumentException(
          String.format(
              "label value %s at voxel (%d, %d, %d): %s",
              voxel, index % g.size()[0], index % plane / g.size()[0], index / plane, problem));
    }

    /** SHA-256 over the labelling, the grid, the segmented slices and the values written. */
    private static byte[] digest(Request request, byte[] values) {
      MessageDigest sha = SegmentationUids.sha256();
      ImageGeometry g = request.label().geometry();
      sha.update(request.labelling().name().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      ByteBuffer grid = ByteBuffer.allocate(3 * 4 + 15 * 8);
      for (int i = 0; i < 3; i++) {
        grid.putInt(g.size()[i]);
      }
      for (double[] part : new double[][] {g.spacing(), g.origin(), g.direction()}) {
        for (double d : part) {
          grid.putDouble(d);
        }
      }
      sha.update(grid.array());
      sha.update(request.segmented().toByteArray());
      sha.update(values);
      return sha.digest();
    }
  }

  /** The UIDs of a Segmentation, derived from its source, algorithm and content. */
  record Uids(
      String instance,
      String series,
      String study,
      String frameOfReference,
      String dimensionOrganization) {
    static Uids of(Request request, byte[] digest) {
      String content = java.util.HexFormat.of().formatHex(digest);
      Algorithm a = request.algorithm();
      String source =
          request.source() instanceof SegmentationSource.DicomSeries s
              ? s.seriesInstanceUid()
              : ((SegmentationSource.Volume) request.source()).sourceKey();
      String instance = SegmentationUids.of("instance", source, a.name(), a.version(), content);
      String series = SegmentationUids.of("series", source, a.name(), a.version(), content);
      String dimensions = SegmentationUids.of("dimensions", source, a.name(), a.version(), content);
      if (request.source() instanceof SegmentationSource.DicomSeries s) {
        return new Uids(
            instance, series, s.studyInstanceUid(), s.frameOfReferenceUid(), dimensions);
      }
      return new Uids(
          instance,
          series,
          studyUid(request.source()),
          SegmentationUids.of("frame-of-reference", source),
          dimensions);
    }
  }

  /** Everything but the segments, the functional groups and the pixels. */
  private static void header(DataSetBuilder b, Request request, Uids uids, Content content) {
    patientAndStudy(b, request.source(), uids.study());
    String date = DATE.format(request.created().atOffset(ZoneOffset.UTC));
    String time = TIME.format(request.created().atOffset(ZoneOffset.UTC));
    Algorithm a = request.algorithm();
    b.texts(DicomTag.IMAGE_TYPE.tag(), VR.CS, "DERIVED", "PRIMARY")
        .text(INSTANCE_CREATION_DATE, VR.DA, date)
        .text(INSTANCE_CREATION_TIME, VR.TM, time)
        .text(DicomTag.SOP_CLASS_UID.tag(), VR.UI, SegmentationObject.SEGMENTATION_STORAGE)
        .text(DicomTag.SOP_INSTANCE_UID.tag(), VR.UI, uids.instance())
        .text(CONTENT_DATE, VR.DA, date)
        .text(CONTENT_TIME, VR.TM, time)
        .text(DicomTag.MODALITY.tag(), VR.CS, "SEG")
        .text(MANUFACTURER, VR.LO, SegmentationWriter.MANUFACTURER_NAME)
        .text(TIMEZONE_OFFSET_FROM_UTC, VR.SH, "+0000")
        .text(DicomTag.SERIES_DESCRIPTION.tag(), VR.LO, limit("Segmentation " + a.name(), 64))
        .text(MANUFACTURER_MODEL_NAME, VR.LO, SegmentationWriter.MANUFACTURER_NAME)
        .text(DEVICE_SERIAL_NUMBER, VR.LO, Part10.IMPLEMENTATION_VERSION_NAME)
        .text(SOFTWARE_VERSIONS, VR.LO, limit(a.name() + " " + a.version(), 64))
        .text(DicomTag.SERIES_INSTANCE_UID.tag(), VR.UI, uids.series())
        .is(SERIES_NUMBER, request.seriesNumber())
        .is(DicomTag.INSTANCE_NUMBER.tag(), 1)
        .text(DicomTag.FRAME_OF_REFERENCE_UID.tag(), VR.UI, uids.frameOfReference())
        .text(POSITION_REFERENCE_INDICATOR, VR.LO, "")
        .text(LOSSY_IMAGE_COMPRESSION, VR.CS, "00")
        .text(DicomTag.SEGMENTATION_TYPE.tag(), VR.CS, "BINARY")
        .text(SEGMENTS_OVERLAP, VR.CS, "NO")
        .text(CONTENT_LABEL, VR.CS, CONTENT_LABEL_VALUE)
        .text(
            CONTENT_DESCRIPTION,
            VR.LO,
            limit("Spine segmentation by " + a.name() + " " + a.version(), 64))
        .text(CONTENT_CREATOR_NAME, VR.PN, "");
    codingSchemes(b, content);
    segmentSequence(b, content, a);
  }

  /**
   * Patient and General Study modules: copied from a DICOM source, new for a volume (shared with
   * {@link MeasurementReportWriter}, so a study's SEG and SR agree).
   */
  static void patientAndStudy(DataSetBuilder b, SegmentationSource source, String studyUid) {
    DataSet from = source instanceof SegmentationSource.DicomSeries s ? s.patientAndStudy() : null;
    StudyAttributes.copy(b, from);
    if (source instanceof SegmentationSource.Volume v) {
      b.text(DicomTag.PATIENT_ID.tag(), VR.LO, limit(v.patientId(), 64));
    }
    b.text(DicomTag.STUDY_INSTANCE_UID.tag(), VR.UI, studyUid);
  }

  /** The Study Instance UID of a segmentation or report of {@code source}. */
  static String studyUid(SegmentationSource source) {
    return source instanceof SegmentationSource.DicomSeries s
        ? s.studyInstanceUid()
        : SegmentationUids.of("study", ((SegmentationSource.Volume) source).sourceKey());
  }

  /** Identifies the local coding scheme when a segment uses it (SOP Common, type 3). */
  private static void codingSchemes(DataSetBuilder b, Content content) {
    boolean local =
        content.segments().stream()
            .anyMatch(s -> SegmentAnatomy.LOCAL_SCHEME.equals(s.type().scheme()));
    if (local) {
      b.item(
          CODING_SCHEME_IDENTIFICATION_SEQUENCE,
          new DataSetBuilder()
              .text(DicomTag.CODING_SCHEME_DESIGNATOR.tag(), VR.SH, SegmentAnatomy.LOCAL_SCHEME)
              .text(CODING_SCHEME_NAME, VR.ST, "spineflow local codes")
              .text(CODING_SCHEME_RESPONSIBLE_ORGANIZATION, VR.ST, MANUFACTURER_NAME)
              .build());
    }
  }

  private static void segmentSequence(DataSetBuilder b, Content content, Algorithm a) {
    List<DataSet> items = new ArrayList<>();
    for (Segment s : content.segments()) {
      DataSet algorithm =
          new DataSetBuilder()
              .item(
                  ALGORITHM_FAMILY_CODE_SEQUENCE,
                  code(new SegmentAnatomy.Code("DCM", "123110", "Artificial Intelligence")))
              .text(ALGORITHM_VERSION, VR.LO, limit(a.version(), 64))
              .text(ALGORITHM_NAME, VR.LO, limit(a.name(), 64))
              .build();
      items.add(
          new DataSetBuilder()
              .item(
                  DicomTag.SEGMENTED_PROPERTY_CATEGORY_CODE_SEQUENCE.tag(),
                  code(SegmentAnatomy.ANATOMICAL_STRUCTURE))
              .us(DicomTag.SEGMENT_NUMBER.tag(), s.number())
              .text(DicomTag.SEGMENT_LABEL.tag(), VR.LO, s.type().meaning())
              .item(SEGMENTATION_ALGORITHM_IDENTIFICATION_SEQUENCE, algorithm)
              .text(SEGMENT_ALGORITHM_TYPE, VR.CS, "AUTOMATIC")
              .text(SEGMENT_ALGORITHM_NAME, VR.LO, limit(a.name(), 64))
              .us(RECOMMENDED_DISPLAY_CIELAB_VALUE, SegmentColours.cieLab(s.labelValue()))
              .item(DicomTag.SEGMENTED_PROPERTY_TYPE_CODE_SEQUENCE.tag(), code(s.type()))
              .build());
    }
    b.sequence(DicomTag.SEGMENT_SEQUENCE.tag(), items);
  }

  /** The limit is in characters; values are ASCII (DataSetBuilder replaces anything else). */
  static String limit(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max);
  }

  /** A Code Sequence item. */
  static DataSet code(SegmentAnatomy.Code c) {
    return new DataSetBuilder()
        .text(DicomTag.CODE_VALUE.tag(), VR.SH, c.value())
        .text(DicomTag.CODING_SCHEME_DESIGNATOR.tag(), VR.SH, c.scheme())
        .text(DicomTag.CODE_MEANING.tag(), VR.LO, c.meaning())
        .build();
  }
}
