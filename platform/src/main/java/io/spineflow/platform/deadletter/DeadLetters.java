package io.spineflow.platform.deadletter;

import io.spineflow.events.DeadLetter;
import java.time.Instant;

/** Builds the {@link DeadLetter} of a poisonous record, the same way in every service. */
public final class DeadLetters {
  private DeadLetters() {}

  /**
   * @param stage the service that rejects it ({@code ingest}, {@code inference}, ...)
   * @param studyUid the study the record belongs to, when known; else null
   */
  public static DeadLetter of(
      String stage, Poison poison, SourceRecord source, String studyUid, Instant at) {
    return DeadLetter.newBuilder()
        .setReasonCode(poison.reasonCode())
        .setStage(stage)
        .setField(poison.field())
        .setLimit(poison.limit())
        .setMessage(poison.message())
        .setStudyUid(studyUid)
        .setOriginalTopic(source.topic())
        .setOriginalPartition(source.partition())
        .setOriginalOffset(source.offset())
        .setOriginalLocation(source.topic() == null ? null : source.location())
        .setAt(at)
        .build();
  }

  /**
   * The study UID a record key names: keys are the study UID or {@code studyUid/sliceIndex}; null
   * for keys of other topics' kind (a model name) is the caller's choice not to call this.
   */
  public static String studyUidOfKey(String key) {
    if (key == null || key.isEmpty()) {
      return null;
    }
    int slash = key.indexOf('/');
    return slash < 0 ? key : key.substring(0, slash);
  }
}
