package io.spineflow.imaging.metrics;

import java.util.function.ToDoubleFunction;

/**
 * The per-class metrics of {@link ClassMetrics}, in the column order of Ahmed et al.'s Table 2
 * (IoU, Dice, ASD, NSD, precision, recall, F1), followed by HD95.
 */
public enum Metric {
  IOU("iou", "IoU", true, ClassMetrics::iou),
  DICE("dice", "Dice", true, ClassMetrics::dice),
  ASD_MM("asdMm", "ASD (mm)", false, ClassMetrics::asdMm),
  NSD("nsd", "NSD", true, ClassMetrics::nsd),
  PRECISION("precision", "Precision", true, ClassMetrics::precision),
  RECALL("recall", "Recall", true, ClassMetrics::recall),
  F1("f1", "F1", true, ClassMetrics::f1),
  HD95_MM("hd95Mm", "HD95 (mm)", false, ClassMetrics::hd95Mm);

  private final String key;
  private final String heading;
  private final boolean higherIsBetter;
  private final ToDoubleFunction<ClassMetrics> accessor;

  Metric(
      String key, String heading, boolean higherIsBetter, ToDoubleFunction<ClassMetrics> accessor) {
    this.key = key;
    this.heading = heading;
    this.higherIsBetter = higherIsBetter;
    this.accessor = accessor;
  }

  /** The JSON field name, e.g. {@code asdMm}. */
  public String key() {
    return key;
  }

  /** The table column heading, e.g. {@code ASD (mm)}. */
  public String heading() {
    return heading;
  }

  /** Whether a larger value is a better segmentation (the papers' ↑ / ↓ marks). */
  public boolean higherIsBetter() {
    return higherIsBetter;
  }

  /** This metric's value in {@code metrics}; NaN when undefined. */
  public double of(ClassMetrics metrics) {
    return accessor.applyAsDouble(metrics);
  }
}
