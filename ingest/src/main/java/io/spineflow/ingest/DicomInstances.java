package io.spineflow.ingest;

import io.spineflow.imaging.ImageCodecException;
import io.spineflow.imaging.dicom.DicomException;
import io.spineflow.imaging.dicom.DicomLimits;
import io.spineflow.imaging.dicom.DicomReader;
import io.spineflow.imaging.dicom.MrInstance;
import io.spineflow.imaging.dicom.SeriesException;
import io.spineflow.imaging.dicom.SeriesReason;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one check of a DICOM instance every door and the topology share: read completely with the
 * DICOM codec (pixels decoded), an MR storage SOP class, with the UIDs and geometry series assembly
 * needs ({@link MrInstance#read}). Pure and thread-safe.
 */
final class DicomInstances {
  private static final Logger LOG = LoggerFactory.getLogger(DicomInstances.class);

  private final DicomReader reader;

  DicomInstances(DicomLimits limits) {
    this.reader = new DicomReader(Objects.requireNonNull(limits, "limits"));
  }

  DicomReader reader() {
    return reader;
  }

  /**
   * Checks one instance.
   *
   * @throws IngestRejection with the codec's or series assembly's reason code and the attribute
   */
  MrInstance check(byte[] part10) throws IngestRejection {
    if (part10.length == 0) {
      throw new IngestRejection(
          IngestReason.EMPTY_UPLOAD, "value", "a DICOM Part 10 file", "the instance has no bytes");
    }
    try {
      return MrInstance.read(reader, part10);
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

  /** The rejection of a DICOM codec or series assembly refusal. */
  static Rejection rejectionOf(ImageCodecException e) {
    return new Rejection(e.reason().name(), e.field(), limitOf(e), e.getMessage(), null);
  }

  private static String limitOf(ImageCodecException e) {
    if (e instanceof SeriesException s) {
      return switch (s.reason()) {
        case UNSUPPORTED_SOP_CLASS -> "MR Image Storage or Enhanced MR Image Storage";
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
    return null;
  }
}
