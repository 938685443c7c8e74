package io.spineflow.model.training;

import io.spineflow.imaging.metrics.SpineClass;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A model's quality on a validation set: per class, the mean over slices of the Dice and IoU
 * computed by {@link io.spineflow.imaging.metrics.SegmentationMetrics} (the papers' convention;
 * slices where a class is absent from both label and prediction are skipped for that class, and so
 * are slices whose partial label does not label the class completely). A class no slice defines is
 * undefined: NaN here, absent from {@link #toMetrics()}, never 0.
 *
 * @param dice mean Dice per class; NaN when the class was never defined
 * @param iou mean IoU per class; NaN when the class was never defined
 * @param slices validation slices scored
 */
public record ValidationScores(
    Map<SpineClass, Double> dice, Map<SpineClass, Double> iou, int slices) {

  /** Metric name prefix of the per-class Dice, e.g. {@code dice.vertebrae}. */
  public static final String DICE = "dice.";

  /** Metric name prefix of the per-class IoU, e.g. {@code iou.discs}. */
  public static final String IOU = "iou.";

  /** Name of {@link #meanDice()} in {@link #toMetrics()}. */
  public static final String MEAN_DICE = "dice.mean";

  /** Name of {@link #meanIou()} in {@link #toMetrics()}. */
  public static final String MEAN_IOU = "miou";

  /** Copies the maps; every class must be present (NaN for undefined). */
  public ValidationScores {
    Objects.requireNonNull(dice, "dice");
    Objects.requireNonNull(iou, "iou");
    for (SpineClass c : SpineClass.values()) {
      if (!dice.containsKey(c) || !iou.containsKey(c)) {
        throw new IllegalArgumentException("missing class " + c);
      }
    }
    dice = java.util.Collections.unmodifiableMap(new EnumMap<>(dice));
    iou = java.util.Collections.unmodifiableMap(new EnumMap<>(iou));
  }

  /**
   * Scores read back from {@link #toMetrics()} (e.g. a checkpoint's metadata); the background's
   * Dice, which {@link #toMetrics()} leaves out, is undefined.
   */
  public static ValidationScores fromMetrics(Map<String, Double> metrics, int slices) {
    Map<SpineClass, Double> dice = new EnumMap<>(SpineClass.class);
    Map<SpineClass, Double> iou = new EnumMap<>(SpineClass.class);
    for (SpineClass c : SpineClass.values()) {
      dice.put(c, metrics.getOrDefault(DICE + key(c), Double.NaN));
      iou.put(c, metrics.getOrDefault(IOU + key(c), Double.NaN));
    }
    return new ValidationScores(dice, iou, slices);
  }

  /** Whether class {@code c}'s Dice is defined (some validation slice scored it). */
  public boolean defined(SpineClass c) {
    return !Double.isNaN(dice.get(c));
  }

  /**
   * Mean Dice over the foreground classes in {@code classes} that are defined here, skipping
   * undefined ones (NaN if none is): what the promotion gate compares between two models.
   */
  public double meanDice(java.util.Collection<SpineClass> classes) {
    double sum = 0;
    int n = 0;
    for (SpineClass c : SpineClass.FOREGROUND) {
      if (classes.contains(c) && defined(c)) {
        sum += dice.get(c);
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /** The mean Dice of one class (NaN if undefined). */
  public double dice(SpineClass c) {
    return dice.get(c);
  }

  /** Mean of the foreground classes' Dice (vertebrae, spinal canal, discs), skipping NaN. */
  public double meanDice() {
    return mean(dice, false);
  }

  /**
   * Mean IoU over all four classes, background included, skipping NaN: Silveira et al.'s mIoU, and
   * what early stopping and checkpointing watch (Ahmed et al. monitor validation mean IoU).
   */
  public double meanIou() {
    return mean(iou, true);
  }

  /** The smallest foreground Dice (NaN if none is defined). */
  public double minForegroundDice() {
    double min = Double.NaN;
    for (SpineClass c : SpineClass.FOREGROUND) {
      double d = dice.get(c);
      if (!Double.isNaN(d) && (Double.isNaN(min) || d < min)) {
        min = d;
      }
    }
    return min;
  }

  /** The name of a class in metric keys: {@code background}, {@code vertebrae}, ... */
  public static String key(SpineClass c) {
    return c.name().toLowerCase(Locale.ROOT);
  }

  /**
   * The scores as named metrics, for announcements and progress events: {@code dice.<class>} for
   * the foreground classes ({@code vertebrae}, {@code spinal_canal}, {@code discs}), {@code
   * dice.mean} (their mean), {@code miou}, and {@code iou.<class>} for all four classes ({@code
   * background} too). The background's Dice is left out on purpose: every {@code dice.*} value is
   * then a foreground one, so a consumer averaging them gets {@code dice.mean}. Undefined values
   * are left out (Avro maps and JSON carry no NaN well).
   */
  public Map<String, Double> toMetrics() {
    Map<String, Double> out = new LinkedHashMap<>();
    for (SpineClass c : SpineClass.FOREGROUND) {
      put(out, DICE + key(c), dice.get(c));
    }
    put(out, MEAN_DICE, meanDice());
    put(out, MEAN_IOU, meanIou());
    for (SpineClass c : SpineClass.values()) {
      put(out, IOU + key(c), iou.get(c));
    }
    return out;
  }

  /**
   * One line for logs, e.g. {@code Dice vertebrae 0.912 spinal_canal 0.874 discs 0.901, mIoU 0.85}.
   */
  public String summary() {
    StringBuilder b = new StringBuilder("Dice");
    for (SpineClass c : SpineClass.FOREGROUND) {
      b.append(String.format(Locale.ROOT, " %s %.3f", key(c), dice.get(c)));
    }
    b.append(String.format(Locale.ROOT, " (mean %.3f), mIoU %.3f", meanDice(), meanIou()));
    return b.toString();
  }

  private static void put(Map<String, Double> out, String key, double value) {
    if (!Double.isNaN(value)) {
      out.put(key, value);
    }
  }

  private static double mean(Map<SpineClass, Double> values, boolean withBackground) {
    double sum = 0;
    int n = 0;
    for (SpineClass c :
        withBackground ? java.util.List.of(SpineClass.values()) : SpineClass.FOREGROUND) {
      double v = values.get(c);
      if (!Double.isNaN(v)) {
        sum += v;
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }
}
