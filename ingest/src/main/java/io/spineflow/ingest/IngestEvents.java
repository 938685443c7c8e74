package io.spineflow.ingest;

import io.spineflow.events.DeadLetter;
import io.spineflow.events.Study;
import io.spineflow.platform.volume.VolumeMapper;
import java.time.Instant;

/** Builds the events ingest publishes: {@link Study} and {@link DeadLetter}. */
public final class IngestEvents {
  /** The {@code stage} of ingest's dead letters. */
  public static final String STAGE = "ingest";

  private IngestEvents() {}

  /**
   * @param studyUid the study's UID when it is valid, else null
   * @param at when the input was rejected
   */
  public static DeadLetter deadLetter(
      String studyUid, Rejection rejection, Origin origin, long at) {
    return DeadLetter.newBuilder()
        .setReasonCode(rejection.reasonCode())
        .setStage(STAGE)
        .setField(rejection.field())
        .setLimit(rejection.limit())
        .setMessage(rejection.message())
        .setStudyUid(studyUid)
        .setOriginalTopic(origin.topic())
        .setOriginalPartition(origin.partition())
        .setOriginalOffset(origin.offset())
        .setOriginalLocation(origin.location())
        .setAt(Instant.ofEpochMilli(at))
        .build();
  }

  /**
   * The {@code studies} event of a validated study; volumes above the mapper's inline limit are
   * written to the claim-check store.
   *
   * @param metadata the image part's metadata; its {@link UploadMetadata#labelCoverage()} becomes
   *     {@code labelCoverage} (null when absent or complete)
   * @param receivedAt when the upload was received (its record timestamp)
   */
  public static Study study(
      String studyUid,
      UploadMetadata metadata,
      ValidatedStudy study,
      VolumeMapper volumes,
      long receivedAt) {
    return Study.newBuilder()
        .setStudyUid(studyUid)
        .setSequence(metadata.sequence())
        .setSource(metadata.source())
        .setSourceName(metadata.sourceName())
        .setContentSha256(study.contentSha256())
        .setReceivedAt(Instant.ofEpochMilli(receivedAt))
        .setImage(
            volumes.toVolume(study.image().image(), study.image().header().anatomicalOrientation()))
        .setLabel(
            study.mask() == null
                ? null
                : volumes.toVolume(
                    study.mask().image(), study.mask().header().anatomicalOrientation()))
        .setLabelCoverage(LabelDeclarations.toEvent(metadata.labelCoverage()))
        .build();
  }
}
