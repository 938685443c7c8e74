package io.spineflow.dashboard;

import io.spineflow.events.AnnouncementKind;
import io.spineflow.events.ClassMetrics;
import io.spineflow.events.DeadLetter;
import io.spineflow.events.Mask;
import io.spineflow.events.ModelAnnouncement;
import io.spineflow.events.ModelArchitecture;
import io.spineflow.events.ModelLineage;
import io.spineflow.events.Quality;
import io.spineflow.events.Sequence;
import io.spineflow.events.Slice;
import io.spineflow.events.TrainingPhase;
import io.spineflow.events.TrainingProgress;
import io.spineflow.imaging.labels.SliceLabelScope;
import io.spineflow.imaging.metrics.ClassSignals;
import io.spineflow.imaging.metrics.LabelFreeSignals;
import io.spineflow.imaging.metrics.PixelSpacing;
import io.spineflow.imaging.metrics.ScopedMetrics;
import io.spineflow.imaging.metrics.SegmentationMetrics;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Builds the pipeline's events for tests the way the services do: {@link Slice} as preprocess
 * publishes it, {@link Mask} and {@link Quality} as inference does (label-free signals from the
 * probabilities, per-class metrics against the label with the imaging module's metrics).
 */
final class Events {
  static final String MODEL = "spine-unet";
  private static final SegmentationMetrics METRICS = SegmentationMetrics.withDefaultTolerance();

  private Events() {}

  static String key(PhantomSlices.SliceData s) {
    return s.studyUid() + "/" + s.sliceIndex();
  }

  static Slice slice(PhantomSlices.SliceData s, boolean withLabel, Instant received, Instant at) {
    ByteBuffer pixels = ByteBuffer.allocate(4 * s.pixels().length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : s.pixels()) {
      pixels.putFloat(v);
    }
    pixels.flip();
    return Slice.newBuilder()
        .setStudyUid(s.studyUid())
        .setSliceIndex(s.sliceIndex())
        .setSequence(Sequence.valueOf(s.sequence().name()))
        .setWidth(PhantomSlices.SIZE)
        .setHeight(PhantomSlices.SIZE)
        .setPixels(pixels)
        .setLabel(withLabel ? ByteBuffer.wrap(s.label()) : null)
        .setPixelSpacing(List.of(s.pixelWidthMm(), s.pixelHeightMm()))
        .setSliceThickness(4.0)
        .setPixelToPhysical(List.of(1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0))
        .setSourceSliceIndex(s.sliceIndex())
        .setSagittalAxis(2)
        .setStudyReceivedAt(received)
        .setPreprocessedAt(at)
        .build();
  }

  static Mask mask(
      PhantomSlices.SliceData s, byte[] classes, int version, Instant received, Instant at) {
    return Mask.newBuilder()
        .setStudyUid(s.studyUid())
        .setSliceIndex(s.sliceIndex())
        .setSequence(Sequence.valueOf(s.sequence().name()))
        .setWidth(PhantomSlices.SIZE)
        .setHeight(PhantomSlices.SIZE)
        .setClasses(ByteBuffer.wrap(classes))
        .setModelName(MODEL)
        .setModelVersion(version)
        .setBatchSize(4)
        .setQueueMillis(8)
        .setInferenceMillis(60)
        .setStudyReceivedAt(received)
        .setProducedAt(at)
        .build();
  }

  /** Quality as inference computes it; metrics only when {@code labelled}. */
  static Quality quality(
      PhantomSlices.SliceData s,
      float[] probabilities,
      byte[] classes,
      boolean labelled,
      int version,
      Instant at) {
    int size = PhantomSlices.SIZE;
    LabelFreeSignals signals = LabelFreeSignals.compute(probabilities, classes, size, size);
    List<ClassMetrics> perClass = new ArrayList<>();
    if (labelled) {
      for (io.spineflow.imaging.metrics.ClassMetrics m :
          METRICS.evaluate(
              classes,
              s.label(),
              size,
              size,
              new PixelSpacing(s.pixelWidthMm(), s.pixelHeightMm()),
              true)) {
        perClass.add(toEvent(m));
      }
    }
    List<Double> entropy = new ArrayList<>();
    List<Double> area = new ArrayList<>();
    for (ClassSignals c : signals.classes()) {
      entropy.add(c.meanEntropyNats());
      area.add(c.areaFraction());
    }
    return Quality.newBuilder()
        .setStudyUid(s.studyUid())
        .setSliceIndex(s.sliceIndex())
        .setSequence(Sequence.valueOf(s.sequence().name()))
        .setModelName(MODEL)
        .setModelVersion(version)
        .setClassMetrics(perClass)
        .setMeanMaxProbability(signals.meanMaxProbability())
        .setClassEntropy(entropy)
        .setAreaFractions(area)
        .setPlausibility(signals.plausibility().checks())
        .setProducedAt(at)
        .build();
  }

  /**
   * Quality as inference computes it for a partially labelled slice: entries only for the classes
   * {@code scope} labels completely, counted inside its extent, and recall plus area ratio (no
   * Dice) for vertebrae labelled as bodies only.
   */
  static Quality partialQuality(
      PhantomSlices.SliceData s,
      float[] probabilities,
      byte[] classes,
      SliceLabelScope scope,
      int version,
      Instant at) {
    ScopedMetrics scoped =
        METRICS.evaluate(
            classes,
            s.label(),
            PhantomSlices.SIZE,
            PhantomSlices.SIZE,
            new PixelSpacing(s.pixelWidthMm(), s.pixelHeightMm()),
            scope);
    List<ClassMetrics> perClass = new ArrayList<>();
    scoped.bodies().ifPresent(b -> perClass.add(bodiesOnly(b.recall(), b.areaRatio())));
    for (io.spineflow.imaging.metrics.ClassMetrics m : scoped.classes()) {
      perClass.add(toEvent(m));
    }
    perClass.sort(java.util.Comparator.comparingInt(ClassMetrics::getClassIndex));
    Quality complete = quality(s, probabilities, classes, false, version, at);
    return Quality.newBuilder(complete).setClassMetrics(perClass).build();
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

  /** A quality event with the given per-class Dice (index = class; null = undefined). */
  static Quality quality(
      String studyUid, int slice, Sequence sequence, int version, Double[] dice, Instant at) {
    List<ClassMetrics> perClass = new ArrayList<>();
    boolean labelled = dice != null;
    if (labelled) {
      for (int c = 0; c < 4; c++) {
        perClass.add(scored(c, dice[c]));
      }
    }
    return quality(studyUid, slice, sequence, version, perClass, at);
  }

  /** The entry of a class the label labels completely, with its Dice (null = undefined). */
  static ClassMetrics scored(int classId, Double dice) {
    return ClassMetrics.newBuilder()
        .setClassIndex(classId)
        .setClassName(classId == 0 ? "Background" : "c" + classId)
        .setDice(dice)
        .setIou(dice == null ? null : dice / (2 - dice))
        .setRecall(dice)
        .build();
  }

  /** The vertebra entry of a bodies-only label, as inference writes it: no Dice. */
  static ClassMetrics bodiesOnly(double recall, double areaRatio) {
    return ClassMetrics.newBuilder()
        .setClassIndex(1)
        .setClassName("Vertebrae")
        .setRecall(defined(recall))
        .setAreaRatio(defined(areaRatio))
        .build();
  }

  /**
   * A quality event with exactly the given class entries: a partial label (e.g. discs only) has
   * entries for the classes it labels alone.
   */
  static Quality quality(
      String studyUid,
      int slice,
      Sequence sequence,
      int version,
      List<ClassMetrics> perClass,
      Instant at) {
    return Quality.newBuilder()
        .setStudyUid(studyUid)
        .setSliceIndex(slice)
        .setSequence(sequence)
        .setModelName(MODEL)
        .setModelVersion(version)
        .setClassMetrics(perClass)
        .setMeanMaxProbability(0.9)
        .setClassEntropy(List.of(0.1, 0.3, 0.4, 0.35))
        .setAreaFractions(List.of(0.8, 0.12, 0.03, 0.05))
        .setPlausibility(
            Map.of(
                "canalConnected",
                true,
                "discsBetweenVertebrae",
                true,
                "vertebraeCountPlausible",
                false))
        .setProducedAt(at)
        .build();
  }

  static Mask mask(String studyUid, int slice, int version, long latencyMillis, Instant at) {
    byte[] classes = new byte[16];
    return Mask.newBuilder()
        .setStudyUid(studyUid)
        .setSliceIndex(slice)
        .setSequence(Sequence.T2)
        .setWidth(4)
        .setHeight(4)
        .setClasses(ByteBuffer.wrap(classes))
        .setModelName(MODEL)
        .setModelVersion(version)
        .setBatchSize(8)
        .setQueueMillis(5)
        .setInferenceMillis(120)
        .setStudyReceivedAt(at.minusMillis(latencyMillis))
        .setProducedAt(at)
        .build();
  }

  static ModelAnnouncement announcement(
      int version, AnnouncementKind kind, Map<String, Double> metrics, Instant at) {
    return ModelAnnouncement.newBuilder()
        .setModelName(MODEL)
        .setVersion(version)
        .setLocation("file:///models/" + MODEL + "/" + version)
        .setSha256("ab".repeat(32))
        .setArchitecture(
            ModelArchitecture.newBuilder()
                .setVariant("modified-unet")
                .setBaseWidth(16)
                .setDepth(4)
                .setBottleneckChannels(128)
                .setInputHeight(128)
                .setInputWidth(128)
                .setClasses(4)
                .setDropout(0.1)
                .build())
        .setValidationMetrics(metrics)
        .setLineage(
            ModelLineage.newBuilder()
                .setTrainingStudies(List.of("s1", "s2", "s3"))
                .setValidationStudies(List.of("s4"))
                .setSliceOffsets(Map.of("0", 10L))
                .setParentVersion(version > 1 ? version - 1 : null)
                .setSeed(7)
                .build())
        .setKind(kind)
        .setAnnouncedAt(at)
        .build();
  }

  static Map<String, Double> validation(double vertebrae, double canal, double discs) {
    return Map.of(
        "dice.vertebrae", vertebrae,
        "dice.canal", canal,
        "dice.discs", discs,
        "miou", (vertebrae + canal + discs) / 3 - 0.08);
  }

  static TrainingProgress training(
      TrainingPhase phase, int step, int total, Integer candidate, String message, Instant at) {
    return TrainingProgress.newBuilder()
        .setModelName(MODEL)
        .setRunId("r" + Math.floorMod(at.getEpochSecond() / 60, 1000))
        .setPhase(phase)
        .setEpoch(step / 10)
        .setStep(step)
        .setTotalSteps(total)
        .setLoss(phase == TrainingPhase.STARTED ? null : 0.5 / (1 + step))
        .setValidationDice(
            phase == TrainingPhase.EVALUATED || phase == TrainingPhase.REJECTED
                ? Map.of("dice.vertebrae", 0.9, "dice.canal", 0.85, "dice.discs", 0.8)
                : Map.of())
        .setEtaSeconds(phase == TrainingPhase.PROGRESS ? 120.0 : null)
        .setCandidateVersion(candidate)
        .setMessage(message)
        .setAt(at)
        .build();
  }

  static DeadLetter deadLetter(String reason, String message, Instant at) {
    return DeadLetter.newBuilder()
        .setReasonCode(reason)
        .setStage("ingest")
        .setField("ElementSpacing")
        .setLimit("> 0")
        .setMessage(message)
        .setStudyUid("study-x")
        .setOriginalTopic("studies.upload")
        .setOriginalPartition(0)
        .setOriginalOffset(42L)
        .setOriginalLocation("studies.upload/0/42")
        .setAt(at)
        .build();
  }

  static Double[] dice(Double background, Double vertebrae, Double canal, Double discs) {
    return new Double[] {background, vertebrae, canal, discs};
  }

  private static Double defined(double value) {
    return Double.isNaN(value) ? null : value;
  }

  static double[] column(List<double[]> rows, int index) {
    return rows.stream().mapToDouble(r -> r[index]).toArray();
  }

  static String describe(double[] values) {
    double[] finite = Arrays.stream(values).filter(Double::isFinite).toArray();
    return String.format(
        "n=%d mean=%.4f sd=%.4f",
        finite.length,
        Arrays.stream(finite).average().orElse(Double.NaN),
        Math.sqrt(
            Arrays.stream(finite)
                .map(v -> v - Arrays.stream(finite).average().orElse(0))
                .map(v -> v * v)
                .average()
                .orElse(Double.NaN)));
  }
}
