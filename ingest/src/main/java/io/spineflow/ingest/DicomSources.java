package io.spineflow.ingest;

import io.spineflow.events.DicomSourceImage;
import io.spineflow.events.DicomSourceSeries;
import io.spineflow.imaging.dicom.DicomException;
import io.spineflow.imaging.dicom.DicomVolume;
import io.spineflow.imaging.dicom.MrInstance;
import io.spineflow.imaging.dicom.SegmentationSource;
import io.spineflow.imaging.dicom.StudyAttributes;
import io.spineflow.platform.LogSafe;
import io.spineflow.platform.volume.ClaimCheckStore;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a study assembled from DICOM carries so that its results can refer back to the series
 * ({@code Study.dicomSource}): the series, study and frame of reference UIDs and each slice's
 * image, for a DICOM Segmentation that shares them; the patient and study attributes go to the
 * claim-check store, never into the event.
 */
final class DicomSources {
  private static final Logger LOG = LoggerFactory.getLogger(DicomSources.class);

  private DicomSources() {}

  /**
   * The series' reference, or null when the series lacks what a Segmentation must share (Study
   * Instance UID, Frame of Reference UID) or a slice has no image of its own: the study is still
   * published and segmented, its results then carry their own geometry, like a MetaImage study's.
   */
  static DicomSourceSeries of(
      DicomVolume volume, List<MrInstance> instances, double toleranceMm, ClaimCheckStore claims) {
    SegmentationSource.DicomSeries series;
    byte[] attributes;
    try {
      series = SegmentationSource.DicomSeries.of(volume, instances, toleranceMm);
      attributes = StudyAttributes.encode(series.patientAndStudy());
    } catch (DicomException e) {
      LOG.info(
          "series {}: results will not reference it ({})",
          LogSafe.id(volume.seriesInstanceUid()),
          e.reason());
      return null;
    }
    return DicomSourceSeries.newBuilder()
        .setSeriesInstanceUid(series.seriesInstanceUid())
        .setStudyInstanceUid(series.studyInstanceUid())
        .setFrameOfReferenceUid(series.frameOfReferenceUid())
        .setSlices(
            series.slices().stream()
                .map(
                    s ->
                        DicomSourceImage.newBuilder()
                            .setSopClassUid(s.sopClassUid())
                            .setSopInstanceUid(s.sopInstanceUid())
                            .setFrameNumber(s.frameNumber())
                            .build())
                .toList())
        .setPatientAndStudy(claims.put(attributes))
        .build();
  }
}
