package io.spineflow.dashboard;

import io.spineflow.events.Segmentation;
import io.spineflow.platform.AvroTree;
import java.util.Map;

/**
 * A study's latest result as the study page shows it: the whole {@code segmentations} event as
 * plain JSON values ({@link AvroTree}, what {@code ./spineflow export} writes as {@code
 * result.json}), with what the downloads need picked out.
 *
 * @param completedAt when results completed it (epoch ms): the later one is the latest
 * @param labelBlob the label volume's {@code sha256:} reference
 * @param segBlob the DICOM Segmentation's reference; null when none was written
 * @param reportBlob the measurement report's (DICOM SR) reference; null when none was written
 * @param result every field of the event
 */
public record StudyResultView(
    String studyUid,
    long completedAt,
    String labelBlob,
    String labelFileName,
    String segBlob,
    String segFileName,
    String reportBlob,
    String reportFileName,
    Map<String, Object> result) {

  static StudyResultView of(Segmentation s) {
    boolean seg = s.getDicomSegmentation() != null;
    boolean report = s.getMeasurementReport() != null;
    return new StudyResultView(
        s.getStudyUid(),
        s.getCompletedAt().toEpochMilli(),
        s.getLabelVolume().getBlob(),
        s.getLabelVolume().getFileName(),
        seg ? s.getDicomSegmentation().getFile().getBlob() : null,
        seg ? s.getDicomSegmentation().getFile().getFileName() : null,
        report ? s.getMeasurementReport().getFile().getBlob() : null,
        report ? s.getMeasurementReport().getFile().getFileName() : null,
        AvroTree.of(s));
  }
}
