package io.spineflow.ingest;

import io.spineflow.imaging.ImageCodecException;
import io.spineflow.imaging.dicom.DataSet;
import io.spineflow.imaging.dicom.DicomException;
import io.spineflow.imaging.dicom.DicomFile;
import io.spineflow.imaging.dicom.DicomLimits;
import io.spineflow.imaging.dicom.DicomReader;
import io.spineflow.imaging.dicom.DicomTag;
import io.spineflow.imaging.dicom.MrInstance;
import io.spineflow.imaging.dicom.SegmentationLabels;
import io.spineflow.imaging.dicom.SegmentationObject;
import io.spineflow.imaging.dicom.SeriesException;
import io.spineflow.imaging.dicom.SeriesReason;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one check of a DICOM instance every door and the topology share: read completely with the
 * DICOM codec (pixels decoded), and either an MR image with the UIDs and geometry series assembly
 * needs ({@link MrInstance#read}), or a binary Segmentation of anatomy spineflow labels (a
 * hospital's labels of a series it was sent). Any other SOP class is refused. Pure and thread-safe.
 */
final class DicomInstances {
  private static final Logger LOG = LoggerFactory.getLogger(DicomInstances.class);

  /** What an unsupported SOP class is refused for, as a rejection's {@code limit}. */
  static final String SOP_CLASSES_ACCEPTED =
      "MR Image Storage, Enhanced MR Image Storage or Segmentation Storage (as labels)";

  private final DicomReader reader;

  DicomInstances(DicomLimits limits) {
    this.reader = new DicomReader(Objects.requireNonNull(limits, "limits"));
  }

  DicomReader reader() {
    return reader;
  }

  /**
   * One checked instance: an MR image or a Segmentation, never both.
   *
   * @param image the MR image, or null
   * @param segmentation the Segmentation, or null
   */
  record Checked(MrInstance image, SegmentationObject segmentation) {
    /** The key of its series: a Segmentation's is the series it segments. */
    String seriesKey() {
      return image != null ? image.seriesInstanceUid() : segmentation.referencedSeriesUid();
    }

    String sopInstanceUid() {
      return image != null ? image.sopInstanceUid() : segmentation.sopInstanceUid();
    }

    boolean isSegmentation() {
      return segmentation != null;
    }
  }

  /**
   * Checks one instance that must be an MR image (what series assembly reads back).
   *
   * @throws IngestRejection with the codec's or series assembly's reason code and the attribute
   */
  MrInstance check(byte[] part10) throws IngestRejection {
    Checked checked = checkAny(part10);
    if (checked.isSegmentation()) {
      throw new IngestRejection(
          rejectionOf(
              new SeriesException(
                  SeriesReason.UNSUPPORTED_SOP_CLASS,
                  DicomTag.SOP_CLASS_UID,
                  DicomTag.SOP_CLASS_UID.field()
                      + ": a Segmentation where an image was expected")));
    }
    return checked.image();
  }

  /**
   * Checks one instance, an MR image or a Segmentation.
   *
   * @throws IngestRejection with the codec's, series assembly's or Segmentation reader's reason
   *     code and the attribute
   */
  Checked checkAny(byte[] part10) throws IngestRejection {
    if (part10.length == 0) {
      throw new IngestRejection(
          IngestReason.EMPTY_UPLOAD, "value", "a DICOM Part 10 file", "the instance has no bytes");
    }
    try {
      DicomFile file = reader.readFile(part10);
      if (SegmentationObject.isSegmentation(file)) {
        return new Checked(null, segmentation(file));
      }
      return new Checked(MrInstance.read(file, reader.limits()), null);
    } catch (DicomException | SeriesException e) {
      throw new IngestRejection(rejectionOf(e));
    } catch (RuntimeException e) {
      // A codec bug must not stop ingest: the instance is dead-lettered for a look. The message
      // may quote attributes, so only the exception's type and place are logged.
      LOG.warn(
          "DICOM reader failed unexpectedly: {} at {}",
          e.getClass().getName(),
          e.getStackTrace().length > 0 ? e.getStackTrace()[0] : "unknown");
      throw new IngestRejection(
          IngestReason.UNREADABLE_IMAGE,
          null,
          null,
          "the DICOM reader failed on this instance (" + e.getClass().getSimpleName() + ")");
    }
  }

  /**
   * A Segmentation as a door takes it: binary, of known anatomy, with the UIDs that key and place
   * it. Whether it fits its series is only known once the series is assembled.
   */
  private SegmentationObject segmentation(DicomFile file) throws DicomException, SeriesException {
    SegmentationObject seg = SegmentationObject.read(file, reader.limits());
    SegmentationLabels.requireKnownAnatomy(seg);
    requireUid(seg.sopInstanceUid(), DicomTag.SOP_INSTANCE_UID);
    requireUid(seg.referencedSeriesUid(), DicomTag.REFERENCED_SERIES_SEQUENCE);
    return seg;
  }

  private static void requireUid(String uid, DicomTag tag) throws SeriesException {
    if (uid == null) {
      throw new SeriesException(
          SeriesReason.MISSING_ATTRIBUTE, tag, tag.field() + ": absent; a Segmentation needs it");
    }
    if (!uid.matches("[0-9.]{1,64}")) {
      throw new SeriesException(
          SeriesReason.INVALID_UID, tag, tag.field() + ": not a UID (1-64 digits and dots)");
    }
  }

  /**
   * The key an instance's record goes under, read without decoding pixels: the Series Instance UID,
   * or for a Segmentation the first Referenced Series Sequence item's; null when unreadable.
   */
  static String seriesKeyOf(DicomFile file) {
    DataSet data = file.dataset();
    String uid = data.string(DicomTag.SERIES_INSTANCE_UID);
    if (SegmentationObject.isSegmentation(file)) {
      var referenced = data.sequence(DicomTag.REFERENCED_SERIES_SEQUENCE);
      uid = referenced.isEmpty() ? null : referenced.get(0).string(DicomTag.SERIES_INSTANCE_UID);
    }
    return StudyUids.isValid(uid) ? uid : null;
  }

  /** The rejection of a DICOM codec or series assembly refusal. */
  static Rejection rejectionOf(ImageCodecException e) {
    return new Rejection(e.reason().name(), e.field(), limitOf(e), e.getMessage(), null);
  }

  private static String limitOf(ImageCodecException e) {
    if (e instanceof SeriesException s) {
      return switch (s.reason()) {
        case UNSUPPORTED_SOP_CLASS -> SOP_CLASSES_ACCEPTED;
        case INVALID_UID -> "1-64 characters of digits and dots";
        case SERIES_TOO_FEW_SLICES -> "at least " + DicomSeriesCollector.MIN_SLICES + " slices";
        case SERIES_TOO_LARGE ->
            "at most " + io.spineflow.imaging.dicom.SeriesAssembler.MAX_VOXELS + " voxels";
        case MISSING_ATTRIBUTE -> "present";
        default ->
            s.reason() == SeriesReason.SERIES_MIXED
                ? "one Series Instance UID"
                : "one size, orientation and spacing (ingest.dicom.geometry.tolerance)";
      };
    }
    return switch (e.reason().name()) {
      case "SEGMENTATION_NOT_BINARY" -> "SegmentationType BINARY";
      case "SEGMENT_ANATOMY_UNKNOWN" ->
          "SCT vertebrae (CID 7603), intervertebral discs (CID 7604) or spinal cord (2748008)";
      case "SEGMENTATION_GRID_MISMATCH" ->
          "the series' rows, columns, orientation and pixel spacing, frames on its slices"
              + " (ingest.dicom.geometry.tolerance)";
      default -> null;
    };
  }
}
