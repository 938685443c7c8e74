package io.spineflow.imaging.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What a prediction says about its own quality without a label: confidence (mean max-probability),
 * uncertainty (mean predictive entropy, in <b>nats</b>), how much of the slice each class takes,
 * and anatomical plausibility. Computed on every slice of the live pipeline; their distributions
 * are what {@link DriftDetector} watches.
 *
 * @param meanMaxProbability mean over all pixels of {@code max_c p_c}, in [1/4, 1]
 * @param meanEntropyNats mean over all pixels of {@code −Σ_c p_c ln p_c}, in [0, ln 4 ≈ 1.386]; the
 *     logarithm comes from a table ({@code TableLog}), exact to 1.2e-7 per term
 * @param classes one entry per class, index = class id (0..3)
 * @param plausibility the anatomical checks on the predicted classes
 */
public record LabelFreeSignals(
    double meanMaxProbability,
    double meanEntropyNats,
    List<ClassSignals> classes,
    PlausibilityReport plausibility) {

  /** The largest possible entropy of a 4-class distribution, ln 4 nats. */
  public static final double MAX_ENTROPY_NATS = Math.log(SpineClass.COUNT);

  public LabelFreeSignals {
    classes = List.copyOf(classes);
    Objects.requireNonNull(plausibility, "plausibility");
  }

  /** {@link #compute(float[], byte[], int, int, PlausibilityRules)} with the default rules. */
  public static LabelFreeSignals compute(
      float[] probabilities, byte[] predicted, int width, int height) {
    return compute(probabilities, predicted, width, height, PlausibilityRules.DEFAULTS);
  }

  /**
   * The signals of one slice.
   *
   * @param probabilities softmax output, C×H×W (class-major: class {@code c} at pixel {@code i} is
   *     {@code probabilities[c · width · height + i]}), C = 4. Values are used as given (not
   *     renormalised); {@code p ≤ 0} (and non-finite p) contributes 0 to the entropy.
   * @param predicted the predicted class per pixel (normally the argmax), row-major, 0..3
   * @throws IllegalArgumentException on a size mismatch or a class value outside 0..3
   */
  public static LabelFreeSignals compute(
      float[] probabilities, byte[] predicted, int width, int height, PlausibilityRules rules) {
    Objects.requireNonNull(probabilities, "probabilities");
    Objects.requireNonNull(predicted, "predicted");
    SegmentationMetrics.requireSize(width, height, predicted.length, "predicted");
    int pixels = predicted.length;
    if (probabilities.length != (long) SpineClass.COUNT * pixels) {
      throw new IllegalArgumentException(
          "probabilities has "
              + probabilities.length
              + " values, expected C × H × W = "
              + SpineClass.COUNT
              + " × "
              + height
              + " × "
              + width);
    }
    long[] count = new long[SpineClass.COUNT];
    double[] maxProbabilitySum = new double[SpineClass.COUNT];
    double[] entropySum = new double[SpineClass.COUNT];
    for (int i = 0; i < pixels; i++) {
      int c = predicted[i];
      if ((c & ~3) != 0) {
        throw new IllegalArgumentException("pixel " + i + ": class must be 0..3, got " + c);
      }
      double max = 0;
      double entropy = 0;
      for (int k = 0, j = i; k < SpineClass.COUNT; k++, j += pixels) {
        float p = probabilities[j];
        max = Math.max(max, p);
        if (p > 0 && p < Float.POSITIVE_INFINITY) {
          entropy -= p * TableLog.ln(p);
        }
      }
      count[c]++;
      maxProbabilitySum[c] += max;
      entropySum[c] += entropy;
    }
    List<ClassSignals> classes = new ArrayList<>(SpineClass.COUNT);
    double maxProbabilityTotal = 0;
    double entropyTotal = 0;
    for (int c = 0; c < SpineClass.COUNT; c++) {
      maxProbabilityTotal += maxProbabilitySum[c];
      entropyTotal += entropySum[c];
      double n = count[c];
      classes.add(
          new ClassSignals(
              c,
              n / pixels,
              n == 0 ? Double.NaN : maxProbabilitySum[c] / n,
              n == 0 ? Double.NaN : entropySum[c] / n));
    }
    return new LabelFreeSignals(
        maxProbabilityTotal / pixels,
        entropyTotal / pixels,
        classes,
        PlausibilityReport.assess(predicted, width, height, rules));
  }

  /** The signals of {@code spineClass}. */
  public ClassSignals of(SpineClass spineClass) {
    return classes.get(spineClass.id());
  }

  /**
   * Every scalar signal by a stable name, for {@link DriftDetector#observeAll}: {@code
   * meanMaxProbability}, {@code meanEntropyNats}, {@code plausibilityScore}, and per class {@code
   * area.<class>}, {@code maxProbability.<class>}, {@code entropy.<class>} with the class in lower
   * case ({@code background}, {@code vertebrae}, {@code spinal_canal}, {@code discs}). Undefined
   * (NaN) values are left out, so an absent class does not feed its entropy.
   */
  public Map<String, Double> asSignals() {
    Map<String, Double> signals = new LinkedHashMap<>();
    signals.put("meanMaxProbability", meanMaxProbability);
    signals.put("meanEntropyNats", meanEntropyNats);
    signals.put("plausibilityScore", plausibility.score());
    for (ClassSignals c : classes) {
      String name = c.spineClass().name().toLowerCase(Locale.ROOT);
      signals.put("area." + name, c.areaFraction());
      putDefined(signals, "maxProbability." + name, c.meanMaxProbability());
      putDefined(signals, "entropy." + name, c.meanEntropyNats());
    }
    return signals;
  }

  private static void putDefined(Map<String, Double> signals, String name, double value) {
    if (!Double.isNaN(value)) {
      signals.put(name, value);
    }
  }
}
