package io.spineflow.dashboard;

import java.util.Arrays;
import java.util.List;

/**
 * The drift monitor's state of one model version: how many slices it has seen, the rolling Dice
 * window of each foreground class (a ring buffer, index = class − 1), and the latest verdicts.
 *
 * @param labelFree the latest label-free evaluation, or null before the first
 * @param dice the latest Dice rule view per foreground class
 */
public record DriftState(
    String modelName,
    int modelVersion,
    long observations,
    long labelled,
    double[][] diceRing,
    int[] ringNext,
    int[] ringCount,
    LabelFreeEvaluation labelFree,
    List<ClassDice> dice,
    long updatedAt) {

  public DriftState {
    dice = dice == null ? List.of() : List.copyOf(dice);
  }

  /** The {@link DashboardStores#DRIFT_STATUS} key of a version; versions sort numerically. */
  public static String key(String modelName, int version) {
    return modelName + "|" + String.format("%010d", version);
  }

  static DriftState start(String modelName, int version, int diceWindow) {
    return new DriftState(
        modelName,
        version,
        0,
        0,
        new double[3][diceWindow],
        new int[3],
        new int[3],
        null,
        List.of(),
        0);
  }

  /**
   * This state after one more slice whose per-class Dice is {@code classDice} (index = class, NaN
   * where undefined or unlabelled).
   */
  DriftState observe(double[] classDice, boolean isLabelled, int diceWindow, long at) {
    double[][] ring = new double[3][];
    int[] next = ringNext.clone();
    int[] count = ringCount.clone();
    for (int c = 0; c < 3; c++) {
      ring[c] = diceRing[c].length == diceWindow ? diceRing[c].clone() : new double[diceWindow];
      if (diceRing[c].length != diceWindow) {
        next[c] = 0;
        count[c] = 0;
      }
      double value = c + 1 < classDice.length ? classDice[c + 1] : Double.NaN;
      if (Double.isFinite(value)) {
        ring[c][next[c]] = value;
        next[c] = (next[c] + 1) % diceWindow;
        count[c] = Math.min(diceWindow, count[c] + 1);
      }
    }
    return new DriftState(
        modelName,
        modelVersion,
        observations + 1,
        labelled + (isLabelled ? 1 : 0),
        ring,
        next,
        count,
        labelFree,
        dice(),
        at);
  }

  /** Mean of the rolling Dice window of foreground class {@code classId} (1-3); NaN if empty. */
  double rollingDice(int classId) {
    int c = classId - 1;
    if (ringCount[c] == 0) {
      return Double.NaN;
    }
    return Arrays.stream(diceRing[c], 0, ringCount[c]).average().orElse(Double.NaN);
  }

  int rollingCount(int classId) {
    return ringCount[classId - 1];
  }

  DriftState withDice(List<ClassDice> view) {
    return new DriftState(
        modelName,
        modelVersion,
        observations,
        labelled,
        diceRing,
        ringNext,
        ringCount,
        labelFree,
        view,
        updatedAt);
  }

  DriftState withLabelFree(LabelFreeEvaluation evaluation) {
    return new DriftState(
        modelName,
        modelVersion,
        observations,
        labelled,
        diceRing,
        ringNext,
        ringCount,
        evaluation,
        dice,
        updatedAt);
  }
}
