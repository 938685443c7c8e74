package io.spineflow.ingest;

import io.spineflow.imaging.dicom.DicomException;
import io.spineflow.imaging.dicom.DicomVolume;
import io.spineflow.imaging.dicom.MrInstance;
import io.spineflow.imaging.dicom.SegmentationLabels;
import io.spineflow.imaging.dicom.SegmentationObject;
import io.spineflow.imaging.labels.LabelCoverage;
import io.spineflow.imaging.labels.LabelExtent;
import java.time.Duration;
import java.util.List;

/**
 * A hospital's labels of a DICOM series: the binary Segmentation (SEG) kept beside the series'
 * instances in the {@code dicom-instances} store (under the series' key, in a slot of its own) and
 * laid onto the assembled series when it is published. What a SEG's label means: only the classes
 * its segments name are labelled, and only over their span, so the study carries a partial label
 * ({@code labelCoverage}), exactly as a MetaImage mask declared {@code labelled-span} would.
 */
final class SeriesSegmentations {
  /** Marks a Segmentation's slot in the instance store; never in a UID. */
  private static final String MARK = "seg:";

  private SeriesSegmentations() {}

  /** The store key of a Segmentation of series {@code uid}: distinct from any image's. */
  static String slot(String uid, String separator, String sopInstanceUid) {
    return uid + separator + MARK + sopInstanceUid;
  }

  /** The prefix of every Segmentation slot of series {@code uid}. */
  static String prefix(String uid, String separator) {
    return uid + separator + MARK;
  }

  /**
   * A Segmentation laid onto its series.
   *
   * @param sopInstanceUid the Segmentation's SOP Instance UID
   * @param sha256 the hash of its bytes, part of the series' revision
   * @param labels the SPIDER label volume on the series' grid and the classes it labels
   */
  record Label(String sopInstanceUid, String sha256, SegmentationLabels labels) {
    /**
     * What the label labels: the classes of its segments over their labelled span. A hospital
     * segments some levels, so neither the other classes nor the levels above and below it are
     * known to be background.
     */
    LabelCoverage coverage() {
      return new LabelCoverage(labels.classes(), LabelExtent.LABELLED_SPAN, 0);
    }

    /** Its line in the series' revision hash (images have {@code sop=sha} lines). */
    String revisionLine() {
      return MARK + sopInstanceUid + "=" + sha256 + "\n";
    }
  }

  /**
   * Lays a Segmentation onto its assembled series.
   *
   * @param read the series' instances, placing frames without Plane Position by their source
   * @throws IngestRejection {@code SEGMENTATION_GRID_MISMATCH} (or the reader's reason) with the
   *     attribute and the limit
   */
  static Label map(
      SegmentationObject seg, String sha256, DicomVolume volume, List<MrInstance> read, double tol)
      throws IngestRejection {
    try {
      return new Label(
          seg.sopInstanceUid(), sha256, SegmentationLabels.map(seg, volume, read, tol));
    } catch (DicomException e) {
      throw new IngestRejection(DicomInstances.rejectionOf(e));
    }
  }

  /** The rejection of a Segmentation whose series did not come within the retention. */
  static Rejection seriesMissing(Duration retention) {
    return Rejection.of(
        IngestReason.SEGMENTATION_SERIES_MISSING,
        "ReferencedSeriesSequence (0008,1115)",
        "the referenced series within ingest.dicom.series.retention (" + retention + ")",
        "no image of the series this Segmentation labels came within the retention before or"
            + " after it (a series published longer ago is forgotten: send the series again with"
            + " it); its labels are dropped");
  }

  /** The rejection of a Segmentation of a series that was skipped. */
  static Rejection seriesSkipped() {
    return Rejection.of(
        IngestReason.SEGMENTATION_SERIES_MISSING,
        "ReferencedSeriesSequence (0008,1115)",
        "a series spineflow publishes (sagittal original MR)",
        "the series this Segmentation labels was skipped (not sagittal original MR); its labels"
            + " have no study to go with");
  }
}
