package io.spineflow.dashboard;

import io.spineflow.imaging.metrics.DriftDetector;
import io.spineflow.imaging.metrics.DriftStatistics;
import io.spineflow.imaging.metrics.KsResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The two drift rules of {@link DriftRules} as pure functions. */
public final class DriftEvaluator {
  /** Display names of the foreground classes, index = class. */
  static final List<String> CLASS_NAMES =
      List.of("background", "vertebrae", "spinal canal", "discs");

  /** Accepted {@code validationMetrics} keys of each class's Dice, index = class. */
  private static final List<List<String>> BASELINE_KEYS =
      List.of(
          List.of("dice.background"),
          List.of("dice.vertebrae", "dice.vertebra"),
          List.of("dice.canal", "dice.spinal_canal", "dice.spinal canal", "dice.spinalcanal"),
          List.of("dice.discs", "dice.disc", "dice.ivds", "dice.ivd"));

  private DriftEvaluator() {}

  /**
   * The validation Dice of {@code classId} in {@code metrics} ({@code dice.vertebrae}, {@code
   * dice.canal} or {@code dice.spinal_canal}, {@code dice.discs}; case-insensitive); NaN when
   * absent.
   */
  public static double baseline(Map<String, Double> metrics, int classId) {
    if (metrics == null) {
      return Double.NaN;
    }
    for (Map.Entry<String, Double> e : metrics.entrySet()) {
      if (e.getValue() != null
          && BASELINE_KEYS.get(classId).contains(e.getKey().toLowerCase(Locale.ROOT))) {
        return e.getValue();
      }
    }
    return Double.NaN;
  }

  /** The Dice rule for each foreground class of {@code state}, against {@code baselines}. */
  public static List<ClassDice> dice(
      DriftRules rules, DriftState state, Map<String, Double> baselines) {
    List<ClassDice> out = new ArrayList<>(3);
    for (int c = 1; c < 4; c++) {
      double baseline = baseline(baselines, c);
      double threshold = baseline - rules.diceMargin();
      double mean = state.rollingDice(c);
      int n = state.rollingCount(c);
      boolean firing = n >= rules.diceWindow() && Double.isFinite(threshold) && mean < threshold;
      out.add(new ClassDice(c, CLASS_NAMES.get(c), mean, n, baseline, threshold, firing));
    }
    return out;
  }

  /**
   * The label-free rule: every signal of {@link QualitySignals#NAMES} tested with a {@link
   * DriftDetector} whose reference is {@code reference} and whose window is {@code window} (rows =
   * slices, columns = signals, then optionally the study key of {@link QualitySignals#observation};
   * NaN values are skipped). PSI is computed over the slices, the KS test over the studies' mean
   * values ({@link SignalVerdict#of(io.spineflow.imaging.metrics.DriftVerdict, KsResult, double)}).
   */
  public static LabelFreeEvaluation labelFree(
      DriftRules rules, double[][] reference, double[][] window, long at, long observations) {
    DriftDetector detector = new DriftDetector(rules.detectorConfig());
    for (int s = 0; s < QualitySignals.COUNT; s++) {
      String name = QualitySignals.NAMES.get(s);
      double[] ref = new double[reference.length];
      for (int i = 0; i < reference.length; i++) {
        ref[i] = s < reference[i].length ? reference[i][s] : Double.NaN;
      }
      detector.setReference(name, ref);
      for (double[] row : window) {
        detector.observe(name, s < row.length ? row[s] : Double.NaN);
      }
    }
    List<SignalVerdict> verdicts = new ArrayList<>();
    int drifted = 0;
    for (int s = 0; s < QualitySignals.COUNT; s++) {
      String name = QualitySignals.NAMES.get(s);
      SignalVerdict v =
          SignalVerdict.of(
              detector.verdict(name), perStudyKs(reference, window, s), rules.ksAlpha());
      verdicts.add(v);
      drifted += v.drifted() ? 1 : 0;
    }
    return new LabelFreeEvaluation(
        at,
        observations,
        reference.length,
        window.length,
        verdicts,
        drifted,
        drifted >= rules.minDriftedSignals());
  }

  /**
   * The KS test of signal {@code s} over the mean value of each study in {@code reference} against
   * each in {@code window}; null when either has none. Rows with the same key in {@link
   * QualitySignals#STUDY_COLUMN} are one study; a row without a key (stored before keys were) is a
   * study of its own, so old state gives the slice-level test it always had.
   */
  static KsResult perStudyKs(double[][] reference, double[][] window, int s) {
    double[] a = studyMeans(reference, s);
    double[] b = studyMeans(window, s);
    return a.length == 0 || b.length == 0 ? null : DriftStatistics.kolmogorovSmirnov(a, b);
  }

  /** The mean of signal {@code s} per study among {@code rows}, NaN values skipped. */
  static double[] studyMeans(double[][] rows, int s) {
    Map<Double, double[]> sums = new HashMap<>();
    List<Double> unkeyed = new ArrayList<>();
    for (double[] row : rows) {
      if (s >= row.length || Double.isNaN(row[s])) {
        continue;
      }
      if (row.length > QualitySignals.STUDY_COLUMN) {
        double[] sum = sums.computeIfAbsent(row[QualitySignals.STUDY_COLUMN], k -> new double[2]);
        sum[0] += row[s];
        sum[1]++;
      } else {
        unkeyed.add(row[s]);
      }
    }
    double[] means = new double[sums.size() + unkeyed.size()];
    int i = 0;
    for (double[] sum : sums.values()) {
      means[i++] = sum[0] / sum[1];
    }
    for (double v : unkeyed) {
      means[i++] = v;
    }
    return means;
  }

  /**
   * The label-free rule replayed over one model version's slices in arrival order, exactly as the
   * drift monitor tests them ({@link DriftRules#labelFreeDueAt}, {@link DriftRules#windowStart}):
   * every evaluation, in order, each stamped with the number of slices seen. For offline checks of
   * the rule on recorded or freshly segmented traffic ({@code bench drift}).
   *
   * @param rows one {@link QualitySignals} vector per slice, in arrival order
   */
  public static List<LabelFreeEvaluation> replay(DriftRules rules, List<double[]> rows) {
    List<LabelFreeEvaluation> evaluations = new ArrayList<>();
    if (rows.size() < rules.referenceSize()) {
      return evaluations;
    }
    double[][] reference = rows.subList(0, rules.referenceSize()).toArray(double[][]::new);
    for (int seen = 1; seen <= rows.size(); seen++) {
      if (rules.labelFreeDueAt(seen)) {
        double[][] window =
            rows.subList((int) rules.windowStart(seen), seen).toArray(double[][]::new);
        evaluations.add(labelFree(rules, reference, window, seen, seen));
      }
    }
    return evaluations;
  }

  /** What a Dice alert says. */
  static String diceMessage(List<ClassDice> dice, DriftRules rules) {
    StringBuilder text = new StringBuilder("Dice below the validation baseline:");
    String separator = " ";
    for (ClassDice d : dice) {
      if (d.firing()) {
        text.append(separator)
            .append(
                String.format(
                    Locale.ROOT,
                    "%s %.3f over the last %d labelled slices < %.3f − %.2f",
                    d.className(),
                    d.rollingMean(),
                    d.n(),
                    d.baseline(),
                    rules.diceMargin()));
        separator = "; ";
      }
    }
    return text.toString();
  }

  /** What a label-free alert says: the drifted signals, largest PSI first (at most four). */
  static String labelFreeMessage(LabelFreeEvaluation e, int version) {
    StringBuilder text =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "Label-free signals shifted from v%d's reference (its first %d slices): %d of %d"
                    + " drifted —",
                version,
                e.referenceSize(),
                e.drifted(),
                e.signals().size()));
    String separator = " ";
    List<SignalVerdict> drifted =
        e.signals().stream()
            .filter(SignalVerdict::drifted)
            .sorted(Comparator.comparingDouble(SignalVerdict::psi).reversed())
            .limit(4)
            .toList();
    for (SignalVerdict v : drifted) {
      text.append(separator)
          .append(
              String.format(
                  Locale.ROOT, "%s (PSI %.2f, KS p %.1e)", v.signal(), v.psi(), v.ksPValue()));
      separator = ", ";
    }
    return text.toString();
  }
}
