package io.spineflow.inference;

import io.spineflow.events.ClassMetrics;
import io.spineflow.events.Mask;
import io.spineflow.events.Quality;
import io.spineflow.events.Slice;
import io.spineflow.imaging.labels.SliceLabelScope;
import io.spineflow.imaging.metrics.BodyCoverage;
import io.spineflow.imaging.metrics.ClassSignals;
import io.spineflow.imaging.metrics.LabelFreeSignals;
import io.spineflow.imaging.metrics.PixelSpacing;
import io.spineflow.imaging.metrics.ScopedMetrics;
import io.spineflow.imaging.metrics.SegmentationMetrics;
import io.spineflow.imaging.metrics.SpineClass;
import io.spineflow.platform.LabelEvents;
import io.spineflow.schemas.SlicePixels;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Turns one slice and its prediction into the two events inference publishes: the {@link Mask} and
 * its {@link Quality} (metrics against the label when the slice has one, for the classes it labels;
 * label-free signals always). Pure: no Kafka, no model.
 */
public final class SliceOutputs {
  private final SegmentationMetrics metrics;

  public SliceOutputs(double nsdToleranceMm) {
    this.metrics = new SegmentationMetrics(nsdToleranceMm);
  }

  /** Timing of the batch a slice was segmented in. */
  public record BatchTiming(int batchSize, double queueMillis, double inferenceMillis) {}

  public Mask mask(
      Slice slice,
      ServedModel.Prediction prediction,
      ServedModel model,
      BatchTiming timing,
      Instant now) {
    return Mask.newBuilder()
        .setStudyUid(slice.getStudyUid())
        .setSliceIndex(slice.getSliceIndex())
        .setSequence(slice.getSequence())
        .setWidth(slice.getWidth())
        .setHeight(slice.getHeight())
        .setClasses(ByteBuffer.wrap(prediction.classes()))
        .setModelName(model.name())
        .setModelVersion(model.version())
        .setBatchSize(timing.batchSize())
        .setQueueMillis(timing.queueMillis())
        .setInferenceMillis(timing.inferenceMillis())
        .setStudyReceivedAt(slice.getStudyReceivedAt())
        .setProducedAt(now)
        .build();
  }

  public Quality quality(
      Slice slice, ServedModel.Prediction prediction, ServedModel model, Instant now) {
    int width = slice.getWidth();
    int height = slice.getHeight();
    LabelFreeSignals signals =
        LabelFreeSignals.compute(prediction.probabilities(), prediction.classes(), width, height);
    List<ClassMetrics> perClass =
        slice.getLabel() == null ? List.of() : classMetrics(slice, prediction.classes());
    List<Double> entropy = new ArrayList<>();
    List<Double> area = new ArrayList<>();
    for (ClassSignals c : signals.classes()) {
      entropy.add(c.meanEntropyNats());
      area.add(c.areaFraction());
    }
    return Quality.newBuilder()
        .setStudyUid(slice.getStudyUid())
        .setSliceIndex(slice.getSliceIndex())
        .setSequence(slice.getSequence())
        .setModelName(model.name())
        .setModelVersion(model.version())
        .setClassMetrics(perClass)
        .setMeanMaxProbability(signals.meanMaxProbability())
        .setClassEntropy(entropy)
        .setAreaFractions(area)
        .setPlausibility(signals.plausibility().checks())
        .setProducedAt(now)
        .build();
  }

  /**
   * The metrics of a labelled slice. A complete label (no {@code labelScope}, or one that names
   * every class on every row) scores every class, background included, over the whole slice. A
   * partial one scores only the classes it labels completely, on the rows of its extent; vertebrae
   * labelled as bodies only get an entry with recall and area ratio alone. A class the label leaves
   * unlabelled has no entry: undefined, never 0.
   */
  List<ClassMetrics> classMetrics(Slice slice, byte[] predicted) {
    int width = slice.getWidth();
    int height = slice.getHeight();
    byte[] label = SlicePixels.bytes(slice.getLabel());
    PixelSpacing spacing =
        new PixelSpacing(slice.getPixelSpacing().get(0), slice.getPixelSpacing().get(1));
    Optional<SliceLabelScope> scope = LabelEvents.scope(slice.getLabelScope());
    if (scope.isEmpty()) {
      return List.of();
    }
    List<ClassMetrics> perClass = new ArrayList<>();
    if (scope.get().complete(height)) {
      for (io.spineflow.imaging.metrics.ClassMetrics m :
          metrics.evaluate(predicted, label, width, height, spacing, true)) {
        perClass.add(toEvent(m));
      }
      return perClass;
    }
    ScopedMetrics scoped = metrics.evaluate(predicted, label, width, height, spacing, scope.get());
    scoped.classes().forEach(m -> perClass.add(toEvent(m)));
    scoped.bodies().ifPresent(b -> perClass.add(bodiesOnly(b)));
    perClass.sort(Comparator.comparingInt(ClassMetrics::getClassIndex));
    return perClass;
  }

  /** The vertebra entry of a bodies-only label: recall and area ratio; Dice and the rest null. */
  private static ClassMetrics bodiesOnly(BodyCoverage bodies) {
    return ClassMetrics.newBuilder()
        .setClassIndex(SpineClass.VERTEBRAE.id())
        .setClassName(SpineClass.VERTEBRAE.displayName())
        .setRecall(defined(bodies.recall()))
        .setAreaRatio(defined(bodies.areaRatio()))
        .build();
  }

  private static ClassMetrics toEvent(io.spineflow.imaging.metrics.ClassMetrics m) {
    return ClassMetrics.newBuilder()
        .setClassIndex(m.classId())
        .setClassName(m.spineClass().displayName())
        .setDice(defined(m.dice()))
        .setIou(defined(m.iou()))
        .setPrecision(defined(m.precision()))
        .setRecall(defined(m.recall()))
        .setF1(defined(m.f1()))
        .setAsdMm(defined(m.asdMm()))
        .setNsd(defined(m.nsd()))
        .setHd95Mm(defined(m.hd95Mm()))
        .build();
  }

  /** Undefined metrics (NaN: e.g. a class absent from label and prediction) travel as null. */
  private static Double defined(double value) {
    return Double.isNaN(value) ? null : value;
  }
}
