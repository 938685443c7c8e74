package io.spineflow.dashboard;

import io.spineflow.events.Quality;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The label-free signals of one {@link Quality} event as a fixed vector, named as {@link
 * io.spineflow.imaging.metrics.LabelFreeSignals#asSignals()} names them: confidence ({@code
 * meanMaxProbability}), uncertainty ({@code meanEntropyNats}, the area-weighted mean of the
 * per-class entropies, which is exactly the mean entropy over all pixels), anatomical plausibility
 * ({@code plausibilityScore}, the fraction of checks passed), and per foreground class its area and
 * per class its entropy. The background area is left out: it is one minus the others, and a
 * redundant signal would only add false alarms. An undefined value (a class absent from the
 * prediction) is NaN.
 */
public final class QualitySignals {
  /** The signal names, in vector order. */
  public static final List<String> NAMES =
      List.of(
          "meanMaxProbability",
          "meanEntropyNats",
          "plausibilityScore",
          "area.vertebrae",
          "area.spinal_canal",
          "area.discs",
          "entropy.background",
          "entropy.vertebrae",
          "entropy.spinal_canal",
          "entropy.discs");

  /** Number of signals. */
  public static final int COUNT = NAMES.size();

  private static final List<String> CLASS_KEYS =
      List.of("background", "vertebrae", "spinal_canal", "discs");

  private QualitySignals() {}

  /** The vector of {@code quality}, NaN where undefined. */
  public static double[] of(Quality quality) {
    double[] v = new double[COUNT];
    List<Double> area = quality.getAreaFractions();
    List<Double> entropy = quality.getClassEntropy();
    v[0] = quality.getMeanMaxProbability();
    double entropySum = 0;
    double areaSum = 0;
    for (int c = 0; c < Math.min(area.size(), entropy.size()); c++) {
      double a = value(area, c);
      double e = value(entropy, c);
      if (a > 0 && Double.isFinite(e)) {
        entropySum += a * e;
        areaSum += a;
      }
    }
    v[1] = areaSum > 0 ? entropySum / areaSum : Double.NaN;
    v[2] = plausibilityScore(quality.getPlausibility());
    for (int c = 1; c < 4; c++) {
      v[2 + c] = value(area, c);
    }
    for (int c = 0; c < 4; c++) {
      double a = value(area, c);
      double e = value(entropy, c);
      v[6 + c] = a > 0 && Double.isFinite(e) ? e : Double.NaN;
    }
    return v;
  }

  /** Column of {@link #observation}'s study key, after the signals. */
  public static final int STUDY_COLUMN = COUNT;

  /**
   * The vector of {@code quality} followed by a key of its study (the hash of the study UID), as
   * the drift monitor stores it: the label-free rule counts studies, not slices, as its samples.
   */
  public static double[] observation(Quality quality) {
    double[] v = Arrays.copyOf(of(quality), COUNT + 1);
    v[STUDY_COLUMN] = studyKey(quality.getStudyUid());
    return v;
  }

  /**
   * The same observation from signals named as {@link
   * io.spineflow.imaging.metrics.LabelFreeSignals#asSignals()} names them (a missing name is NaN),
   * for signals computed outside the pipeline ({@code bench drift}).
   */
  public static double[] observation(Map<String, Double> named, String studyUid) {
    double[] v = new double[COUNT + 1];
    for (int s = 0; s < COUNT; s++) {
      v[s] = named.getOrDefault(NAMES.get(s), Double.NaN);
    }
    v[STUDY_COLUMN] = studyKey(studyUid);
    return v;
  }

  /** A study's key in an observation: its UID's hash, exact in a double. */
  public static double studyKey(String studyUid) {
    return studyUid == null ? 0 : studyUid.hashCode();
  }

  /** The key a class's signals are named with, e.g. {@code spinal_canal} for class 2. */
  public static String classKey(int classId) {
    return CLASS_KEYS.get(classId);
  }

  /** Fraction of the anatomical checks passed; NaN when there are none. */
  public static double plausibilityScore(Map<String, Boolean> checks) {
    if (checks == null || checks.isEmpty()) {
      return Double.NaN;
    }
    long passed = checks.values().stream().filter(Boolean.TRUE::equals).count();
    return (double) passed / checks.size();
  }

  private static double value(List<Double> values, int index) {
    if (values == null || index >= values.size() || values.get(index) == null) {
      return Double.NaN;
    }
    return values.get(index);
  }
}
