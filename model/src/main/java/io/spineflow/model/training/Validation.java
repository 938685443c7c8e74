package io.spineflow.model.training;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import io.spineflow.imaging.labels.SliceLabelScope;
import io.spineflow.imaging.metrics.ClassMetrics;
import io.spineflow.imaging.metrics.PixelSpacing;
import io.spineflow.imaging.metrics.SegmentationMetrics;
import io.spineflow.imaging.metrics.SpineClass;
import io.spineflow.model.LabelledSlice;
import io.spineflow.model.Segmentation;
import io.spineflow.model.SegmentationModel;
import io.spineflow.model.SliceInput;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Scores a model on a validation set the same way for every model: the candidate during training
 * (through {@link io.spineflow.model.SegmentationTrainer#predict}) and the live model at the gate
 * (through a {@link Predictor} of the loaded {@link SegmentationModel}). Slices are loaded and
 * predicted one batch at a time, so memory does not grow with the set. Partially labelled slices
 * score only the classes they label ({@link #score}); a class no slice scores stays undefined.
 */
public final class Validation {

  private static final SegmentationMetrics METRICS = SegmentationMetrics.withDefaultTolerance();

  private Validation() {}

  /**
   * Scores predictions of {@code predict} on every slice of {@code set}.
   *
   * @param predict segments a batch of slices (one forward pass), results in input order
   * @param set the validation slices; must not be empty
   * @param batchSize slices per forward pass
   */
  public static ValidationScores evaluate(
      Function<List<SliceInput>, List<Segmentation>> predict, TrainingSet set, int batchSize) {
    if (set.isEmpty()) {
      throw new IllegalArgumentException("empty validation set");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1: " + batchSize);
    }
    Accumulator acc = new Accumulator();
    for (int from = 0; from < set.size(); from += batchSize) {
      int to = Math.min(set.size(), from + batchSize);
      List<LabelledSlice> batch = new ArrayList<>(to - from);
      List<SliceInput> inputs = new ArrayList<>(to - from);
      for (int i = from; i < to; i++) {
        LabelledSlice s = set.load(i);
        batch.add(s);
        inputs.add(s.input());
      }
      List<Segmentation> predicted = predict.apply(inputs);
      for (int k = 0; k < batch.size(); k++) {
        SliceRef ref = set.ref(from + k);
        LabelledSlice s = batch.get(k);
        acc.add(score(predicted.get(k).classes(), s, ref));
      }
    }
    return acc.scores();
  }

  /**
   * One slice's metrics. A complete label scores all four classes (background too, for the mIoU); a
   * partial one only the classes it labels completely, on the rows inside its extent ({@link
   * SegmentationMetrics#evaluate(byte[], byte[], int, int, PixelSpacing, SliceLabelScope)}): a 0
   * there may be an unlabelled structure, so neither background nor the unlabelled classes are
   * scored.
   */
  static List<ClassMetrics> score(byte[] predicted, LabelledSlice s, SliceRef ref) {
    PixelSpacing spacing = new PixelSpacing(ref.columnSpacingMm(), ref.rowSpacingMm());
    if (s.completelyLabelled()) {
      return METRICS.evaluate(predicted, s.labels(), s.width(), s.height(), spacing, true);
    }
    return METRICS
        .evaluate(predicted, s.labels(), s.width(), s.height(), spacing, s.scope())
        .classes();
  }

  /** Scores a loaded model (e.g. the live one) with a predictor of its own, closed afterwards. */
  public static ValidationScores evaluate(SegmentationModel model, TrainingSet set, int batchSize) {
    try (Predictor<SliceInput, Segmentation> predictor = model.newPredictor()) {
      return evaluate(
          inputs -> {
            try {
              return predictor.batchPredict(inputs);
            } catch (TranslateException e) {
              throw new IllegalStateException("prediction failed for " + model.describe(), e);
            }
          },
          set,
          batchSize);
    }
  }

  /** Sums of per-slice Dice and IoU per class, skipping undefined (NaN) values. */
  private static final class Accumulator {
    private final double[] diceSum = new double[SpineClass.COUNT];
    private final double[] iouSum = new double[SpineClass.COUNT];
    private final int[] defined = new int[SpineClass.COUNT];
    private int slices;

    void add(List<ClassMetrics> metrics) {
      slices++;
      for (ClassMetrics m : metrics) {
        if (!Double.isNaN(m.dice())) {
          diceSum[m.classId()] += m.dice();
          iouSum[m.classId()] += m.iou();
          defined[m.classId()]++;
        }
      }
    }

    ValidationScores scores() {
      Map<SpineClass, Double> dice = new EnumMap<>(SpineClass.class);
      Map<SpineClass, Double> iou = new EnumMap<>(SpineClass.class);
      for (SpineClass c : SpineClass.values()) {
        int n = defined[c.id()];
        dice.put(c, n == 0 ? Double.NaN : diceSum[c.id()] / n);
        iou.put(c, n == 0 ? Double.NaN : iouSum[c.id()] / n);
      }
      return new ValidationScores(dice, iou, slices);
    }
  }
}
