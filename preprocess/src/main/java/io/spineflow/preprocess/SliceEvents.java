package io.spineflow.preprocess;

import io.spineflow.events.DeadLetter;
import io.spineflow.events.Slice;
import io.spineflow.events.SliceSummary;
import io.spineflow.events.Study;
import io.spineflow.preprocess.slicing.SagittalSlice;
import io.spineflow.preprocess.slicing.SlicedStudy;
import io.spineflow.preprocess.slicing.StudyRejectedException;
import io.spineflow.schemas.SlicePixels;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the results of slicing into the events of topics {@code slices}, {@code slices.summary} and
 * {@code deadletter}.
 */
final class SliceEvents {
  static final String STAGE = "preprocess";

  private SliceEvents() {}

  static Slice slice(Study study, SlicedStudy sliced, SagittalSlice s, Instant now) {
    return Slice.newBuilder()
        .setStudyUid(study.getStudyUid())
        .setSliceIndex(s.sliceIndex())
        .setSequence(study.getSequence())
        .setWidth(s.width())
        .setHeight(s.height())
        .setPixels(littleEndian(s.pixels()))
        .setLabel(s.label() == null ? null : ByteBuffer.wrap(s.label()))
        .setLabelScope(LabelContracts.scope(s.labelScope()))
        .setPixelSpacing(List.of(s.pixelSpacing(), s.pixelSpacing()))
        .setSliceThickness(s.sliceThickness())
        .setPixelToPhysical(boxed(s.pixelToPhysical()))
        .setSourceSliceIndex(s.sourceSliceIndex())
        .setSagittalAxis(sliced.sagittalAxis().axis())
        .setStudyReceivedAt(study.getReceivedAt())
        .setPreprocessedAt(now)
        .build();
  }

  static SliceSummary summary(Study study, SlicedStudy sliced, Instant now) {
    List<Integer> emitted = new ArrayList<>(sliced.slices().size());
    sliced.slices().forEach(s -> emitted.add(s.sliceIndex()));
    Map<String, Integer> dropped = new LinkedHashMap<>(sliced.droppedByReason());
    return SliceSummary.newBuilder()
        .setStudyUid(study.getStudyUid())
        .setSequence(study.getSequence())
        .setLabelled(sliced.labelled())
        .setSourceSlices(sliced.sourceSlices())
        .setEmittedSliceIndexes(emitted)
        .setDroppedByReason(dropped)
        .setStudyReceivedAt(study.getReceivedAt())
        .setCompletedAt(now)
        .build();
  }

  static DeadLetter deadLetter(
      String studyUid, StudyRejectedException rejection, SourceLocation location, Instant now) {
    return DeadLetter.newBuilder()
        .setReasonCode(rejection.reasonCode())
        .setStage(STAGE)
        .setField(rejection.field())
        .setLimit(rejection.limit())
        .setMessage(
            rejection.getMessage() == null ? rejection.reasonCode() : rejection.getMessage())
        .setStudyUid(studyUid)
        .setOriginalTopic(location.topic())
        .setOriginalPartition(location.known() ? location.partition() : null)
        .setOriginalOffset(location.known() ? location.offset() : null)
        .setOriginalLocation(location.known() ? location.toString() : null)
        .setAt(now)
        .build();
  }

  /** float32 little-endian, as the {@code Slice.pixels} contract says. */
  static ByteBuffer littleEndian(float[] values) {
    return SlicePixels.encode(values);
  }

  /** The inverse of {@link #littleEndian}, for consumers and tests. */
  static float[] floats(ByteBuffer bytes) {
    return SlicePixels.decode(bytes);
  }

  private static List<Double> boxed(double[] values) {
    List<Double> out = new ArrayList<>(values.length);
    for (double v : values) {
      out.add(v);
    }
    return out;
  }
}
