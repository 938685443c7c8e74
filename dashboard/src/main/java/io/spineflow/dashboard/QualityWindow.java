package io.spineflow.dashboard;

/**
 * The quality of one series in one time window: counts and sums, so means are exact and windows
 * merge. Arrays are indexed by class (Dice, IoU) or by {@link QualitySignals#NAMES} (signals); a
 * NaN value adds nothing and is not counted.
 */
public record QualityWindow(
    long count,
    long labelled,
    double[] diceSum,
    long[] diceN,
    double[] iouSum,
    long[] iouN,
    double[] signalSum,
    long[] signalN) {

  public static QualityWindow empty() {
    return new QualityWindow(
        0,
        0,
        new double[4],
        new long[4],
        new double[4],
        new long[4],
        new double[QualitySignals.COUNT],
        new long[QualitySignals.COUNT]);
  }

  /** This window with {@code sample} added (a new instance). */
  public QualityWindow add(QualitySample sample) {
    double[] ds = diceSum.clone();
    long[] dn = diceN.clone();
    double[] is = iouSum.clone();
    long[] in = iouN.clone();
    double[] ss = signalSum.clone();
    long[] sn = signalN.clone();
    accumulate(ds, dn, sample.dice());
    accumulate(is, in, sample.iou());
    accumulate(ss, sn, sample.signals());
    return new QualityWindow(
        count + 1, labelled + (sample.labelled() ? 1 : 0), ds, dn, is, in, ss, sn);
  }

  /** The sum of two windows (e.g. the same window of one series from two partitions). */
  public QualityWindow merge(QualityWindow other) {
    return new QualityWindow(
        count + other.count,
        labelled + other.labelled,
        sum(diceSum, other.diceSum),
        sum(diceN, other.diceN),
        sum(iouSum, other.iouSum),
        sum(iouN, other.iouN),
        sum(signalSum, other.signalSum),
        sum(signalN, other.signalN));
  }

  /** Mean Dice of class {@code c}; NaN without data. */
  public double meanDice(int c) {
    return diceN[c] == 0 ? Double.NaN : diceSum[c] / diceN[c];
  }

  /** Mean IoU of class {@code c}; NaN without data. */
  public double meanIou(int c) {
    return iouN[c] == 0 ? Double.NaN : iouSum[c] / iouN[c];
  }

  /** Mean of signal {@code i} ({@link QualitySignals#NAMES}); NaN without data. */
  public double meanSignal(int i) {
    return signalN[i] == 0 ? Double.NaN : signalSum[i] / signalN[i];
  }

  private static void accumulate(double[] sums, long[] counts, double[] values) {
    for (int i = 0; i < Math.min(sums.length, values.length); i++) {
      if (Double.isFinite(values[i])) {
        sums[i] += values[i];
        counts[i]++;
      }
    }
  }

  private static double[] sum(double[] a, double[] b) {
    double[] out = a.clone();
    for (int i = 0; i < Math.min(a.length, b.length); i++) {
      out[i] += b[i];
    }
    return out;
  }

  private static long[] sum(long[] a, long[] b) {
    long[] out = a.clone();
    for (int i = 0; i < Math.min(a.length, b.length); i++) {
      out[i] += b[i];
    }
    return out;
  }
}
