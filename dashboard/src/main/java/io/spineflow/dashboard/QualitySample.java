package io.spineflow.dashboard;

import io.spineflow.events.ClassMetrics;
import io.spineflow.events.Quality;
import java.util.Arrays;

/**
 * What the windowed quality aggregates need of one {@link Quality} event (the repartitioned value):
 * per-class Dice and IoU (index = class, NaN where undefined or unlabelled) and the label-free
 * signal vector ({@link QualitySignals}).
 */
public record QualitySample(
    String sequence,
    String modelName,
    int modelVersion,
    boolean labelled,
    double[] dice,
    double[] iou,
    double[] signals) {

  public static QualitySample of(Quality quality) {
    double[] dice = new double[4];
    double[] iou = new double[4];
    Arrays.fill(dice, Double.NaN);
    Arrays.fill(iou, Double.NaN);
    for (ClassMetrics m : quality.getClassMetrics()) {
      int c = m.getClassIndex();
      if (c >= 0 && c < 4) {
        dice[c] = m.getDice() == null ? Double.NaN : m.getDice();
        iou[c] = m.getIou() == null ? Double.NaN : m.getIou();
      }
    }
    return new QualitySample(
        quality.getSequence().name(),
        quality.getModelName(),
        quality.getModelVersion(),
        !quality.getClassMetrics().isEmpty(),
        dice,
        iou,
        QualitySignals.of(quality));
  }

  /** Mean Dice over the foreground classes where it is defined; NaN when none is. */
  public double meanForegroundDice() {
    return meanForeground(dice);
  }

  static double meanForeground(double[] perClass) {
    double sum = 0;
    int n = 0;
    for (int c = 1; c < perClass.length; c++) {
      if (Double.isFinite(perClass[c])) {
        sum += perClass[c];
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }
}
