package io.spineflow.imaging.dicom;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A binary DICOM Segmentation (SOP class {@value #SEGMENTATION_STORAGE}): its segments with their
 * coded anatomy, the series it segments, and each frame's mask with the segment it belongs to and
 * where it lies. Read from a {@link DicomFile}; every problem is a {@link DicomException} naming
 * the attribute.
 *
 * @param seriesInstanceUid the segmentation's own series
 * @param referencedSeriesUid the series it segments: the first item of Referenced Series Sequence
 *     (0008,1115); null only from {@link #readUnreferenced}, for a Segmentation that references no
 *     series (one {@link SegmentationWriter} wrote for a volume without DICOM)
 * @param segments by segment number
 * @param frames in file order
 */
public record SegmentationObject(
    String sopInstanceUid,
    String seriesInstanceUid,
    String referencedSeriesUid,
    int rows,
    int columns,
    Map<Integer, Segment> segments,
    List<Frame> frames) {
  public static final String SEGMENTATION_STORAGE = "1.2.840.10008.5.1.4.1.1.66.4";

  public SegmentationObject {
    segments = Map.copyOf(segments);
    frames = List.copyOf(frames);
  }

  /**
   * One segment of the Segment Sequence (0062,0002).
   *
   * @param typeScheme Coding Scheme Designator of the Segmented Property Type
   * @param typeCode its Code Value
   * @param typeMeaning its Code Meaning (for messages)
   * @param categoryCode the Segmented Property Category's Code Value, or null
   */
  public record Segment(
      int number,
      String label,
      String typeScheme,
      String typeCode,
      String typeMeaning,
      String categoryCode) {}

  /**
   * One frame: a rows × columns mask (bit index = row × columns + column).
   *
   * @param attributes its geometry, from the functional groups
   * @param sourceSopInstanceUid the image it was derived from, or null
   */
  public record Frame(
      int segmentNumber, FrameAttributes attributes, String sourceSopInstanceUid, BitSet mask) {}

  /** Whether a file is a Segmentation, by its SOP Class UID (or the meta group's). */
  public static boolean isSegmentation(DicomFile file) {
    String sopClass = file.dataset().string(DicomTag.SOP_CLASS_UID);
    if (sopClass == null) {
      sopClass = file.meta().string(DicomTag.MEDIA_STORAGE_SOP_CLASS_UID);
    }
    return SEGMENTATION_STORAGE.equals(sopClass);
  }

  /**
   * Reads a binary Segmentation of a series: Referenced Series Sequence is required ({@link
   * ReasonCode#MISSING_ATTRIBUTE} without it), since only the series says where its frames belong.
   */
  public static SegmentationObject read(DicomFile file, DicomLimits limits) throws DicomException {
    return read(file, limits, true);
  }

  /**
   * Reads a binary Segmentation that may reference no series, e.g. one {@link SegmentationWriter}
   * wrote for a MetaImage study ({@link SegmentationSource.Volume}): its {@link
   * #referencedSeriesUid()} is then null, and its frames are laid onto a grid with {@link
   * SegmentationLabels#onGrid} or {@link SegmentationLabels#onOwnGrid}. Everything else is checked
   * as {@link #read} checks it; a Segmentation that does reference a series keeps the reference.
   */
  public static SegmentationObject readUnreferenced(DicomFile file, DicomLimits limits)
      throws DicomException {
    return read(file, limits, false);
  }

  private static SegmentationObject read(
      DicomFile file, DicomLimits limits, boolean referenceRequired) throws DicomException {
    DataSet data = file.dataset();
    if (!isSegmentation(file)) {
      throw Values.invalid(
          DicomTag.SOP_CLASS_UID, "not Segmentation Storage (" + SEGMENTATION_STORAGE + ")");
    }
    String type = data.string(DicomTag.SEGMENTATION_TYPE);
    if (!"BINARY".equals(type)) {
      DicomTag tag = DicomTag.SEGMENTATION_TYPE;
      throw new DicomException(
          ReasonCode.SEGMENTATION_NOT_BINARY,
          tag.field(),
          tag.field()
              + ": '"
              + (type == null ? "" : Values.abbreviate(type))
              + "'; only BINARY segmentations are labels (FRACTIONAL masks are probabilities)");
    }
    int rows = positive(data, DicomTag.ROWS, 65535);
    int columns = positive(data, DicomTag.COLUMNS, 65535);
    Long bits = data.integer(DicomTag.BITS_ALLOCATED);
    if (bits == null || bits != 1) {
      throw Values.invalid(DicomTag.BITS_ALLOCATED, bits + ", a BINARY segmentation has 1");
    }
    Long numberOfFrames = data.integer(DicomTag.NUMBER_OF_FRAMES);
    int frames = numberOfFrames == null ? 1 : (int) Math.min(numberOfFrames, Integer.MAX_VALUE);
    if (frames < 1 || frames > limits.maxFrames()) {
      throw new DicomException(
          ReasonCode.TOO_MANY_FRAMES,
          DicomTag.NUMBER_OF_FRAMES.field(),
          DicomTag.NUMBER_OF_FRAMES.field()
              + ": "
              + numberOfFrames
              + ", expected 1 to "
              + limits.maxFrames());
    }
    Map<Integer, Segment> segments = segments(data);
    List<BitSet> masks = masks(data, limits, rows, columns, frames);
    List<FrameAttributes> geometry = FunctionalGroups.frames(data, frames);
    List<DataSet> perFrame = data.sequence(DicomTag.PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE);
    List<Frame> out = new ArrayList<>(frames);
    for (int f = 0; f < frames; f++) {
      DataSet own = perFrame.isEmpty() ? null : perFrame.get(f);
      int segment = frameSegment(own, data, f);
      if (!segments.containsKey(segment)) {
        throw Values.invalid(
            DicomTag.REFERENCED_SEGMENT_NUMBER,
            "frame " + (f + 1) + " references segment " + segment + ", not in SegmentSequence");
      }
      out.add(new Frame(segment, geometry.get(f), sourceInstance(own), masks.get(f)));
    }
    return new SegmentationObject(
        data.string(DicomTag.SOP_INSTANCE_UID),
        data.string(DicomTag.SERIES_INSTANCE_UID),
        referencedSeries(data, referenceRequired),
        rows,
        columns,
        segments,
        out);
  }

  private static int positive(DataSet data, DicomTag tag, int max) throws DicomException {
    Long v = data.integer(tag);
    if (v == null) {
      throw missing(tag, "absent");
    }
    if (v < 1 || v > max) {
      throw Values.invalid(tag, v + ", expected 1 to " + max);
    }
    return v.intValue();
  }

  static DicomException missing(DicomTag tag, String problem) {
    return new DicomException(
        ReasonCode.MISSING_ATTRIBUTE, tag.field(), tag.field() + ": " + problem);
  }

  private static Map<Integer, Segment> segments(DataSet data) throws DicomException {
    List<DataSet> items = data.sequence(DicomTag.SEGMENT_SEQUENCE);
    if (items.isEmpty()) {
      throw missing(DicomTag.SEGMENT_SEQUENCE, "absent or empty: no segment is described");
    }
    Map<Integer, Segment> out = new HashMap<>();
    for (DataSet item : items) {
      Long number = item.integer(DicomTag.SEGMENT_NUMBER);
      if (number == null) {
        throw missing(DicomTag.SEGMENT_NUMBER, "absent from a SegmentSequence item");
      }
      List<DataSet> type = item.sequence(DicomTag.SEGMENTED_PROPERTY_TYPE_CODE_SEQUENCE);
      if (type.isEmpty()) {
        throw missing(
            DicomTag.SEGMENTED_PROPERTY_TYPE_CODE_SEQUENCE,
            "absent from segment " + number + ": its anatomy is unknown");
      }
      List<DataSet> category = item.sequence(DicomTag.SEGMENTED_PROPERTY_CATEGORY_CODE_SEQUENCE);
      Segment segment =
          new Segment(
              number.intValue(),
              item.string(DicomTag.SEGMENT_LABEL),
              type.get(0).string(DicomTag.CODING_SCHEME_DESIGNATOR),
              type.get(0).string(DicomTag.CODE_VALUE),
              type.get(0).string(DicomTag.CODE_MEANING),
              category.isEmpty() ? null : category.get(0).string(DicomTag.CODE_VALUE));
      if (out.put(segment.number(), segment) != null) {
        throw Values.invalid(DicomTag.SEGMENT_NUMBER, "segment " + number + " described twice");
      }
    }
    return out;
  }

  private static String referencedSeries(DataSet data, boolean required) throws DicomException {
    List<DataSet> items = data.sequence(DicomTag.REFERENCED_SERIES_SEQUENCE);
    String uid = items.isEmpty() ? null : items.get(0).string(DicomTag.SERIES_INSTANCE_UID);
    if (uid == null && required) {
      throw missing(
          DicomTag.REFERENCED_SERIES_SEQUENCE,
          "absent, or its first item has no SeriesInstanceUID: which series is segmented?");
    }
    return uid;
  }

  private static int frameSegment(DataSet own, DataSet data, int frame) throws DicomException {
    List<DataSet> shared = data.sequence(DicomTag.SHARED_FUNCTIONAL_GROUPS_SEQUENCE);
    for (DataSet group : new DataSet[] {own, shared.isEmpty() ? null : shared.get(0)}) {
      if (group == null) {
        continue;
      }
      List<DataSet> id = group.sequence(DicomTag.SEGMENT_IDENTIFICATION_SEQUENCE);
      Long number = id.isEmpty() ? null : id.get(0).integer(DicomTag.REFERENCED_SEGMENT_NUMBER);
      if (number != null) {
        return number.intValue();
      }
    }
    throw missing(
        DicomTag.SEGMENT_IDENTIFICATION_SEQUENCE,
        "frame " + (frame + 1) + " names no ReferencedSegmentNumber");
  }

  private static String sourceInstance(DataSet own) {
    if (own == null) {
      return null;
    }
    for (DataSet derivation : own.sequence(DicomTag.DERIVATION_IMAGE_SEQUENCE)) {
      for (DataSet source : derivation.sequence(DicomTag.SOURCE_IMAGE_SEQUENCE)) {
        String uid = source.string(DicomTag.REFERENCED_SOP_INSTANCE_UID);
        if (uid != null) {
          return uid;
        }
      }
    }
    return null;
  }

  /**
   * Unpacks 1-bit native Pixel Data: frames follow each other bit by bit (a frame whose pixel count
   * is not a multiple of 8 ends mid-byte and the next starts there), least significant bit first.
   */
  private static List<BitSet> masks(
      DataSet data, DicomLimits limits, int rows, int columns, int frames) throws DicomException {
    DataElement pixels = data.get(DicomTag.PIXEL_DATA);
    if (pixels == null) {
      throw new DicomException(
          ReasonCode.NO_PIXEL_DATA,
          DicomTag.PIXEL_DATA.field(),
          DicomTag.PIXEL_DATA.field() + ": absent from the segmentation");
    }
    if (pixels.encapsulated()) {
      throw new DicomException(
          ReasonCode.UNSUPPORTED_TRANSFER_SYNTAX,
          DicomTag.PIXEL_DATA.field(),
          DicomTag.PIXEL_DATA.field()
              + ": encapsulated; segmentations are read in a native transfer syntax only");
    }
    byte[] bytes = pixels.value();
    long perFrame = (long) rows * columns;
    if (perFrame * frames > limits.maxDecodedBytes()) {
      throw new DicomException(
          ReasonCode.DECODED_DATA_TOO_LARGE,
          DicomTag.NUMBER_OF_FRAMES.field(),
          frames
              + " frames of "
              + rows
              + " × "
              + columns
              + " pixels exceed "
              + limits.maxDecodedBytes()
              + " (DicomLimits.maxDecodedBytes)");
    }
    long needed = (perFrame * frames + 7) / 8;
    if (bytes.length < needed) {
      throw new DicomException(
          ReasonCode.TRUNCATED_DATA,
          DicomTag.PIXEL_DATA.field(),
          DicomTag.PIXEL_DATA.field()
              + ": "
              + bytes.length
              + " bytes, "
              + frames
              + " frames of "
              + rows
              + " × "
              + columns
              + " bits need "
              + needed);
    }
    // OW in big endian swaps each 16-bit word; the bit stream is defined on the little-endian
    // bytes.
    boolean swap = data.bigEndian() && pixels.vr() == VR.OW;
    List<BitSet> out = new ArrayList<>(frames);
    long bit = 0;
    for (int f = 0; f < frames; f++) {
      BitSet mask = new BitSet((int) perFrame);
      for (int p = 0; p < perFrame; p++, bit++) {
        int index = (int) (bit >>> 3);
        byte b = bytes[swap ? index ^ 1 : index];
        if ((b >>> (bit & 7) & 1) != 0) {
          mask.set(p);
        }
      }
      out.add(mask);
    }
    return out;
  }
}
