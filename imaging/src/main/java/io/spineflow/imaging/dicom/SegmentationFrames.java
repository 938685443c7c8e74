package io.spineflow.imaging.dicom;

import static io.spineflow.imaging.dicom.SegmentationTags.*;

import io.spineflow.imaging.ImageGeometry;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The frames of a Segmentation {@link SegmentationWriter} writes: the Image Pixel attributes, the
 * Multi-frame Dimension module (dimensions: the segment, then the position), the shared and
 * per-frame functional groups, the references to the source series, and the 1-bit Pixel Data.
 * Frames go segment by segment, and within a segment slice by slice along the volume's third axis.
 */
final class SegmentationFrames {
  private static final SegmentAnatomy.Code SEGMENTATION_DERIVATION =
      new SegmentAnatomy.Code("DCM", "113076", "Segmentation");
  private static final SegmentAnatomy.Code SOURCE_IMAGE_PURPOSE =
      new SegmentAnatomy.Code("DCM", "121322", "Source image for image processing operation");

  private SegmentationFrames() {}

  static void write(
      DataSetBuilder b,
      SegmentationWriter.Request request,
      SegmentationWriter.Content content,
      String dimensionOrganizationUid) {
    ImageGeometry g = request.label().geometry();
    int columns = g.size()[0];
    int rows = g.size()[1];
    BitSet segmented = request.segmented();
    int frames = content.segments().size() * segmented.cardinality();
    b.us(DicomTag.SAMPLES_PER_PIXEL.tag(), 1)
        .text(DicomTag.PHOTOMETRIC_INTERPRETATION.tag(), VR.CS, "MONOCHROME2")
        .is(DicomTag.NUMBER_OF_FRAMES.tag(), frames)
        .us(DicomTag.ROWS.tag(), rows)
        .us(DicomTag.COLUMNS.tag(), columns)
        .us(DicomTag.BITS_ALLOCATED.tag(), 1)
        .us(DicomTag.BITS_STORED.tag(), 1)
        .us(DicomTag.HIGH_BIT.tag(), 0)
        .us(DicomTag.PIXEL_REPRESENTATION.tag(), 0);
    dimensions(b, dimensionOrganizationUid);
    b.item(DicomTag.SHARED_FUNCTIONAL_GROUPS_SEQUENCE.tag(), shared(g, request.source()));
    if (request.source() instanceof SegmentationSource.DicomSeries s) {
      referencedSeries(b, s, segmented);
    }
    b.sequence(DicomTag.PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE.tag(), perFrame(request, content, g));
    b.bytes(DicomTag.PIXEL_DATA.tag(), VR.OB, pixels(request, content, g));
  }

  /** Dimension Organization and Index: Referenced Segment Number, then Image Position. */
  private static void dimensions(DataSetBuilder b, String uid) {
    b.item(
        DIMENSION_ORGANIZATION_SEQUENCE,
        new DataSetBuilder().text(DIMENSION_ORGANIZATION_UID, VR.UI, uid).build());
    b.sequence(
        DIMENSION_INDEX_SEQUENCE,
        List.of(
            dimension(
                uid,
                DicomTag.REFERENCED_SEGMENT_NUMBER.tag(),
                DicomTag.SEGMENT_IDENTIFICATION_SEQUENCE.tag(),
                "ReferencedSegmentNumber"),
            dimension(
                uid,
                DicomTag.IMAGE_POSITION_PATIENT.tag(),
                DicomTag.PLANE_POSITION_SEQUENCE.tag(),
                "ImagePositionPatient")));
  }

  private static DataSet dimension(String uid, int pointer, int group, String label) {
    return new DataSetBuilder()
        .text(DIMENSION_ORGANIZATION_UID, VR.UI, uid)
        .at(DIMENSION_INDEX_POINTER, pointer)
        .at(FUNCTIONAL_GROUP_POINTER, group)
        .text(DIMENSION_DESCRIPTION_LABEL, VR.LO, label)
        .build();
  }

  /** Pixel Measures and Plane Orientation, the same for every frame. */
  private static DataSet shared(ImageGeometry g, SegmentationSource source) {
    double[] s = g.spacing();
    double thickness = s[2];
    if (source instanceof SegmentationSource.DicomSeries series) {
      // The source's own slice thickness (4 mm slices may lie 4.8 mm apart).
      double[] own = thickness(series.patientAndStudy());
      thickness = own.length > 0 && own[0] > 0 ? own[0] : thickness;
    }
    DataSet measures =
        new DataSetBuilder()
            .ds(DicomTag.PIXEL_SPACING.tag(), 6, s[1], s[0])
            .ds(DicomTag.SLICE_THICKNESS.tag(), 6, thickness)
            .ds(DicomTag.SPACING_BETWEEN_SLICES.tag(), 6, s[2])
            .build();
    DataSet orientation =
        new DataSetBuilder()
            .ds(
                DicomTag.IMAGE_ORIENTATION_PATIENT.tag(),
                8,
                g.direction(0, 0),
                g.direction(1, 0),
                g.direction(2, 0),
                g.direction(0, 1),
                g.direction(1, 1),
                g.direction(2, 1))
            .build();
    return new DataSetBuilder()
        .item(DicomTag.PIXEL_MEASURES_SEQUENCE.tag(), measures)
        .item(DicomTag.PLANE_ORIENTATION_SEQUENCE.tag(), orientation)
        .build();
  }

  private static double[] thickness(DataSet data) {
    try {
      return data.decimals(DicomTag.SLICE_THICKNESS);
    } catch (DicomException e) {
      return new double[0]; // a malformed value: the slice spacing stands in
    }
  }

  /** Referenced Series Sequence: the source series and every image a frame derives from. */
  private static void referencedSeries(
      DataSetBuilder b, SegmentationSource.DicomSeries s, BitSet segmented) {
    Map<String, String> instances = new LinkedHashMap<>();
    for (int k = segmented.nextSetBit(0); k >= 0; k = segmented.nextSetBit(k + 1)) {
      SegmentationSource.SourceImage image = s.slices().get(k);
      if (image != null) {
        instances.putIfAbsent(image.sopInstanceUid(), image.sopClassUid());
      }
    }
    List<DataSet> items = new ArrayList<>();
    instances.forEach((instance, sopClass) -> items.add(sopReference(sopClass, instance).build()));
    b.item(
        DicomTag.REFERENCED_SERIES_SEQUENCE.tag(),
        new DataSetBuilder()
            .sequence(REFERENCED_INSTANCE_SEQUENCE, items)
            .text(DicomTag.SERIES_INSTANCE_UID.tag(), VR.UI, s.seriesInstanceUid())
            .build());
  }

  /** Referenced SOP Class and Instance UIDs: an item of a reference sequence. */
  static DataSetBuilder sopReference(String sopClass, String instance) {
    return new DataSetBuilder()
        .text(REFERENCED_SOP_CLASS_UID, VR.UI, sopClass)
        .text(DicomTag.REFERENCED_SOP_INSTANCE_UID.tag(), VR.UI, instance);
  }

  private static List<DataSet> perFrame(
      SegmentationWriter.Request request, SegmentationWriter.Content content, ImageGeometry g) {
    BitSet segmented = request.segmented();
    List<DataSet> items = new ArrayList<>();
    for (SegmentationWriter.Segment segment : content.segments()) {
      int rank = 0;
      for (int k = segmented.nextSetBit(0); k >= 0; k = segmented.nextSetBit(k + 1)) {
        rank++;
        DataSetBuilder frame = new DataSetBuilder();
        if (request.source() instanceof SegmentationSource.DicomSeries s
            && s.slices().get(k) != null) {
          frame.item(DicomTag.DERIVATION_IMAGE_SEQUENCE.tag(), derivation(s.slices().get(k)));
        }
        frame
            .item(
                DicomTag.FRAME_CONTENT_SEQUENCE.tag(),
                new DataSetBuilder()
                    .ul(DicomTag.DIMENSION_INDEX_VALUES.tag(), segment.number(), rank)
                    .build())
            .item(
                DicomTag.PLANE_POSITION_SEQUENCE.tag(),
                new DataSetBuilder()
                    .ds(DicomTag.IMAGE_POSITION_PATIENT.tag(), 6, position(g, k))
                    .build())
            .item(
                DicomTag.SEGMENT_IDENTIFICATION_SEQUENCE.tag(),
                new DataSetBuilder()
                    .us(DicomTag.REFERENCED_SEGMENT_NUMBER.tag(), segment.number())
                    .build());
        items.add(frame.build());
      }
    }
    return items;
  }

  private static DataSet derivation(SegmentationSource.SourceImage image) {
    DataSetBuilder source =
        sopReference(image.sopClassUid(), image.sopInstanceUid())
            .item(
                PURPOSE_OF_REFERENCE_CODE_SEQUENCE, SegmentationWriter.code(SOURCE_IMAGE_PURPOSE));
    if (image.frameNumber() > 0) {
      source.is(REFERENCED_FRAME_NUMBER, image.frameNumber());
    }
    return new DataSetBuilder()
        .item(DERIVATION_CODE_SEQUENCE, SegmentationWriter.code(SEGMENTATION_DERIVATION))
        .item(DicomTag.SOURCE_IMAGE_SEQUENCE.tag(), source.build())
        .build();
  }

  /** The first pixel of slice k: origin + k × slice spacing along the third axis. */
  static double[] position(ImageGeometry g, int k) {
    double[] p = g.origin();
    for (int i = 0; i < 3; i++) {
      p[i] += k * g.spacing()[2] * g.direction(i, 2);
    }
    return p;
  }

  /**
   * 1-bit Pixel Data: the frames' bits one after the other, least significant bit first (PS3.5
   * 8.1.1), padded to an even length.
   */
  private static byte[] pixels(
      SegmentationWriter.Request request, SegmentationWriter.Content content, ImageGeometry g) {
    int plane = g.size()[0] * g.size()[1];
    BitSet segmented = request.segmented();
    long bits = (long) plane * content.segments().size() * segmented.cardinality();
    long bytes = (bits + 7) / 8;
    byte[] out = new byte[Math.toIntExact(bytes + (bytes & 1))];
    byte[] values = content.values();
    long bit = 0;
    for (SegmentationWriter.Segment segment : content.segments()) {
      byte value = (byte) segment.labelValue();
      for (int k = segmented.nextSetBit(0); k >= 0; k = segmented.nextSetBit(k + 1)) {
        int base = k * plane;
        for (int p = 0; p < plane; p++, bit++) {
          if (values[base + p] == value) {
            out[(int) (bit >>> 3)] |= (byte) (1 << (bit & 7));
          }
        }
      }
    }
    return out;
  }
}
