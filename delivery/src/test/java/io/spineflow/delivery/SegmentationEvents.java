package io.spineflow.delivery;

import io.spineflow.events.DicomSegmentationOutput;
import io.spineflow.events.QualitySummary;
import io.spineflow.events.Segmentation;
import io.spineflow.events.StoredOutput;
import io.spineflow.imaging.dicom.SegmentationWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** {@code segmentations} events as results publishes them, around a stored Segmentation. */
final class SegmentationEvents {
  private SegmentationEvents() {}

  /** An event whose DICOM Segmentation is {@code seg}, stored as blob {@code blob}. */
  static Segmentation of(String studyUid, SegmentationWriter.Written seg, String blob) {
    return base(studyUid)
        .setDicomSegmentation(
            DicomSegmentationOutput.newBuilder()
                .setFile(
                    stored(blob, "application/dicom", studyUid + "-seg.dcm", seg.part10().length))
                .setSopInstanceUid(seg.sopInstanceUid())
                .setSeriesInstanceUid(seg.seriesInstanceUid())
                .setStudyInstanceUid(seg.studyInstanceUid())
                .build())
        .build();
  }

  /** An event without a DICOM Segmentation (nothing labelled). */
  static Segmentation withoutSegmentation(String studyUid) {
    return base(studyUid).setDicomSegmentationSkipped("no labelled voxel").build();
  }

  private static Segmentation.Builder base(String studyUid) {
    Instant now = Instant.parse("2026-12-06T12:00:00Z");
    return Segmentation.newBuilder()
        .setStudyUid(studyUid)
        .setContentSha256("0".repeat(64))
        .setStudyReceivedAt(now)
        .setSagittalAxis(2)
        .setSourceSlices(3)
        .setSegmentedSlices(List.of(0, 1, 2))
        .setLabelVolume(
            stored("sha256:" + "1".repeat(64), "application/x-metaimage", studyUid + ".mha", 10))
        .setClassVolumes(List.of())
        .setModels(List.of())
        .setMixedModelVersions(false)
        .setQuality(
            QualitySummary.newBuilder()
                .setSlices(3)
                .setImplausibleSlices(0)
                .setLabelledSlices(0)
                .setMeanDice(Map.of())
                .build())
        .setLevels(List.of())
        .setLevelFlags(List.of())
        .setCompletedAt(now);
  }

  private static StoredOutput stored(String blob, String type, String name, long size) {
    return StoredOutput.newBuilder()
        .setBlob(blob)
        .setMediaType(type)
        .setFileName(name)
        .setSizeBytes(size)
        .build();
  }
}
