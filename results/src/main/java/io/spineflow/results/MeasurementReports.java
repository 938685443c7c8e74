package io.spineflow.results;

import io.spineflow.events.DicomSourceSeries;
import io.spineflow.imaging.dicom.DicomException;
import io.spineflow.imaging.dicom.MeasurementReportWriter;
import io.spineflow.imaging.dicom.SegmentationSource;
import io.spineflow.imaging.dicom.SegmentationWriter;
import io.spineflow.imaging.levels.LevelReport;
import io.spineflow.imaging.volume.LabelVolume;
import io.spineflow.platform.blob.BlobStore;
import java.time.Instant;

/**
 * A study's per-level measurements as a DICOM Structured Report after TID 1500 ({@link
 * MeasurementReportWriter}), of the same source as its Segmentation, so a PACS files both under the
 * study. The SEG results writes holds one segment per class (all discs in one), not per level, so
 * the report's groups reference the images measured (TID 1501), not a segment (TID 1411). A report
 * that cannot be written is skipped with its reason: the label volume and the SEG stand without it.
 */
final class MeasurementReports {
  /**
   * Series Number of every report results writes (its SEG is {@value
   * DicomSegmentations#SERIES_NUMBER}).
   */
  static final int SERIES_NUMBER = 9002;

  private MeasurementReports() {}

  /** The written report, or why there is none. */
  record Outcome(MeasurementReportWriter.Written written, String skipped) {}

  /**
   * @param levels the study's level analysis, or null when it could not be analysed
   * @param created Content and Instance Creation Date/Time: the same for every retry of a revision
   * @throws ResultRejectedException when the DICOM source's attributes do not read (the SEG is
   *     refused for the same reason first)
   */
  static Outcome write(
      String studyUid,
      LabelVolume volume,
      LevelReport levels,
      DicomSourceSeries dicomSource,
      SegmentationWriter.Algorithm algorithm,
      Instant created,
      BlobStore blobs) {
    if (levels == null) {
      return skipped("NOT_ANALYSED: no level analysis to report");
    }
    if (dicomSource != null && volume.sagittalAxis() != 2) {
      return skipped(
          "SAGITTAL_AXIS_NOT_SLICE_AXIS: the measured slices are not the series' images (cut along"
              + " axis "
              + volume.sagittalAxis()
              + ")");
    }
    SegmentationSource source =
        dicomSource == null
            ? new SegmentationSource.Volume(studyUid, "")
            : DicomSegmentations.series(dicomSource, volume.image().geometry().size()[2], blobs);
    try {
      return new Outcome(
          MeasurementReportWriter.write(
              new MeasurementReportWriter.Request(
                  levels, source, null, algorithm, created, SERIES_NUMBER)),
          null);
    } catch (IllegalArgumentException e) {
      return skipped("NOTHING_MEASURED: " + e.getMessage());
    } catch (DicomException e) {
      return skipped("REPORT_REFUSED: " + e.getMessage());
    }
  }

  private static Outcome skipped(String reason) {
    return new Outcome(null, reason);
  }
}
