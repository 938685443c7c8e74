package io.spineflow.cli.bench;

import ai.djl.inference.Predictor;
import io.spineflow.cli.studies.LabelledStudyFile;
import io.spineflow.dashboard.DriftEvaluator;
import io.spineflow.dashboard.DriftRules;
import io.spineflow.dashboard.LabelFreeEvaluation;
import io.spineflow.dashboard.QualitySignals;
import io.spineflow.dashboard.SignalVerdict;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.Sequence;
import io.spineflow.imaging.metaimage.MetaImageReader;
import io.spineflow.imaging.metrics.LabelFreeSignals;
import io.spineflow.imaging.phantom.PhantomGenerator;
import io.spineflow.imaging.phantom.PhantomSpec;
import io.spineflow.model.Devices;
import io.spineflow.model.ModelStore;
import io.spineflow.model.Segmentation;
import io.spineflow.model.SegmentationModel;
import io.spineflow.model.SliceInput;
import io.spineflow.model.StoredModel;
import io.spineflow.preprocess.PreprocessConfig;
import io.spineflow.preprocess.slicing.SagittalSlice;
import io.spineflow.preprocess.slicing.SagittalSlicer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * {@code bench drift}: does the dashboard's label-free drift rule stay quiet on real studies like
 * those the model learnt from, and fire on shifted phantoms? Every study is sliced as preprocess
 * slices live, unlabelled traffic (the spine region, no label), segmented by the model, and turned
 * into the signal vector the drift monitor reads ({@link LabelFreeSignals} named as {@link
 * QualitySignals}). The rule is then replayed ({@link DriftEvaluator#replay}) over streams in
 * arrival order, for several random orders of the real studies (splits):
 *
 * <ul>
 *   <li><b>real → real</b>: the version's reference is the first real studies of the order, the
 *       window slides over the others; any firing evaluation is a false alarm;
 *   <li><b>real → shifted</b>: the same reference, then phantom studies imaged with {@code shift}
 *       (another scanner's contrast, more noise): the rule must fire;
 *   <li>and once, as the rule's own control, <b>phantoms → fresh phantoms</b> (quiet) and
 *       <b>phantoms → shifted phantoms</b> (fires), the setting its thresholds were chosen on.
 * </ul>
 */
final class DriftBench {
  private static final int BATCH = 8;

  /**
   * What to run.
   *
   * @param modelDir the stored model version to serve
   * @param modelLabel what to call it in the report
   * @param studies the real studies (their images only: the rule never sees a label)
   * @param phantoms phantom studies per phantom set
   * @param splits random orders of the real studies
   * @param seed the orders' and the phantoms' seed
   * @param rules the dashboard's drift rules
   */
  record Plan(
      Path modelDir,
      String modelLabel,
      List<LabelledStudyFile> studies,
      int phantoms,
      int splits,
      long seed,
      DriftRules rules) {
    Plan {
      studies = List.copyOf(studies);
      if (phantoms < 1 || splits < 1) {
        throw new IllegalArgumentException("need >= 1 phantom and >= 1 split");
      }
    }
  }

  /** One stream's replay: its evaluations and when the rule first fired (0: never). */
  record Replay(List<LabelFreeEvaluation> evaluations, long firstFiringAt) {
    static Replay of(DriftRules rules, List<double[]> stream) {
      List<LabelFreeEvaluation> evaluations = DriftEvaluator.replay(rules, stream);
      long first =
          evaluations.stream()
              .filter(LabelFreeEvaluation::firing)
              .mapToLong(LabelFreeEvaluation::observations)
              .findFirst()
              .orElse(0);
      return new Replay(evaluations, first);
    }

    boolean fired() {
      return firstFiringAt > 0;
    }

    long firing() {
      return evaluations.stream().filter(LabelFreeEvaluation::firing).count();
    }

    /** The evaluation with the most drifted signals (the first such). */
    LabelFreeEvaluation worst() {
      return evaluations.stream()
          .max(Comparator.comparingInt(LabelFreeEvaluation::drifted))
          .orElseThrow();
    }
  }

  /**
   * The outcome.
   *
   * @param realAlarmSplits splits whose real → real stream fired at least once (target 0)
   * @param shiftedFiredSplits splits whose real → shifted stream fired (target: all)
   * @param phantomControlQuiet phantoms → fresh phantoms never fired
   * @param phantomControlFired phantoms → shifted phantoms fired
   */
  record Figures(
      int splits,
      int realAlarmSplits,
      int shiftedFiredSplits,
      boolean phantomControlQuiet,
      boolean phantomControlFired) {}

  private DriftBench() {}

  static Figures run(Plan plan, PrintWriter out) throws Exception {
    StoredModel stored = ModelStore.inspect(plan.modelDir());
    SagittalSlicer slicer =
        PreprocessConfig.defaults(plan.modelDir())
            .withSliceSize(stored.config().inputWidth(), stored.config().inputHeight())
            .slicer();
    try (SegmentationModel model =
            ModelStore.load(plan.modelDir(), stored.sha256(), stored.config(), Devices.best());
        Predictor<SliceInput, Segmentation> predictor = model.newPredictor()) {
      Signals signals = new Signals(slicer, predictor);
      out.printf(
          Locale.ROOT,
          "model: %s (sha256 %s…); rule: reference %d slices, window %d (min %d), every %d, PSI > %.2f"
              + " and KS p < %.0e, >= %d of %d signals%n",
          plan.modelLabel(),
          stored.sha256().substring(0, 12),
          plan.rules().referenceSize(),
          plan.rules().windowSize(),
          plan.rules().minWindowSize(),
          plan.rules().evaluateEvery(),
          plan.rules().psiThreshold(),
          plan.rules().ksAlpha(),
          plan.rules().minDriftedSignals(),
          QualitySignals.COUNT);
      List<List<double[]>> real = new ArrayList<>();
      MetaImageReader reader = new MetaImageReader();
      for (LabelledStudyFile study : plan.studies()) {
        real.add(signals.of(reader.read(study.image()).image(), study.name()));
      }
      out.printf(
          Locale.ROOT,
          "%d real studies: %d slices in the spine region%n",
          real.size(),
          real.stream().mapToInt(List::size).sum());
      long base = plan.seed() * 1000;
      List<double[]> reference = phantomRows(signals, plan.phantoms(), base, false);
      List<double[]> fresh = phantomRows(signals, plan.phantoms(), base + 500, false);
      List<double[]> shifted = phantomRows(signals, plan.phantoms(), base + 500, true);
      out.printf(
          Locale.ROOT,
          "phantoms (%d studies each): reference %d slices, fresh %d, shifted %d (the fresh"
              + " patients imaged with shift)%n",
          plan.phantoms(),
          reference.size(),
          fresh.size(),
          shifted.size());
      return compare(plan, real, reference, fresh, shifted, out);
    }
  }

  private static Figures compare(
      Plan plan,
      List<List<double[]>> real,
      List<double[]> reference,
      List<double[]> fresh,
      List<double[]> shifted,
      PrintWriter out) {
    DriftRules rules = plan.rules();
    int realSlices = real.stream().mapToInt(List::size).sum();
    if (realSlices < rules.referenceSize() + rules.minWindowSize()) {
      throw new IllegalArgumentException(
          "the real studies give "
              + realSlices
              + " slices; the rule needs at least reference + minimum window = "
              + (rules.referenceSize() + rules.minWindowSize()));
    }
    out.println();
    out.println(
        "| split | stream | slices | evaluations | firing | first fired at | most drifted |");
    out.println("|---|---|---|---|---|---|---|");
    int alarms = 0;
    int fired = 0;
    for (int split = 1; split <= plan.splits(); split++) {
      List<List<double[]>> order = new ArrayList<>(real);
      Collections.shuffle(order, new Random(plan.seed() + split));
      List<double[]> realStream = order.stream().flatMap(List::stream).toList();
      List<double[]> shiftedStream = new ArrayList<>(realStream.subList(0, rules.referenceSize()));
      shiftedStream.addAll(shifted);
      Replay quiet = Replay.of(rules, realStream);
      Replay loud = Replay.of(rules, shiftedStream);
      row(out, Integer.toString(split), "real → real", realStream.size(), quiet);
      row(out, Integer.toString(split), "real → shifted", shiftedStream.size(), loud);
      alarms += quiet.fired() ? 1 : 0;
      fired += loud.fired() ? 1 : 0;
    }
    // A phantom reference shorter than the rule's leaves the control without evaluations: shown
    // as such in its rows, never padded with other studies.
    List<double[]> phantomReference =
        reference.subList(0, Math.min(reference.size(), rules.referenceSize()));
    List<double[]> control = new ArrayList<>(phantomReference);
    control.addAll(fresh);
    List<double[]> controlShifted = new ArrayList<>(phantomReference);
    controlShifted.addAll(shifted);
    Replay phantomQuiet = Replay.of(rules, control);
    Replay phantomLoud = Replay.of(rules, controlShifted);
    row(out, "control", "phantoms → fresh phantoms", control.size(), phantomQuiet);
    row(out, "control", "phantoms → shifted phantoms", controlShifted.size(), phantomLoud);
    out.println();
    out.printf(
        Locale.ROOT,
        "real → real fired in %d of %d splits (target 0); real → shifted fired in %d of %d"
            + " (target all)%n",
        alarms,
        plan.splits(),
        fired,
        plan.splits());
    return new Figures(plan.splits(), alarms, fired, !phantomQuiet.fired(), phantomLoud.fired());
  }

  private static void row(PrintWriter out, String split, String stream, int slices, Replay r) {
    if (r.evaluations().isEmpty()) {
      out.printf(Locale.ROOT, "| %s | %s | %d | 0 | – | – | – |%n", split, stream, slices);
      return;
    }
    LabelFreeEvaluation worst = r.worst();
    String drifted =
        worst.signals().stream()
            .filter(SignalVerdict::drifted)
            .map(SignalVerdict::signal)
            .collect(Collectors.joining(", "));
    out.printf(
        Locale.ROOT,
        "| %s | %s | %d | %d | %d | %s | %d%s |%n",
        split,
        stream,
        slices,
        r.evaluations().size(),
        r.firing(),
        r.fired() ? "slice " + r.firstFiringAt() : "never",
        worst.drifted(),
        drifted.isEmpty() ? "" : " (" + drifted + ")");
  }

  /** The slices of {@code count} phantom patients (sequences in turn), as signal rows. */
  private static List<double[]> phantomRows(Signals signals, int count, long seed, boolean shift)
      throws Exception {
    PhantomGenerator generator = new PhantomGenerator();
    Sequence[] cycle = Sequence.values();
    List<double[]> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      PhantomSpec spec = PhantomSpec.of(cycle[i % cycle.length], seed + i).withShift(shift);
      rows.addAll(signals.of(generator.generate(spec).image(), spec.studyId()));
    }
    return rows;
  }

  /**
   * Slices a study as live unlabelled traffic and segments it: one row per slice, as the drift
   * monitor stores it ({@link QualitySignals#observation}: the signals, then the study's key).
   */
  private record Signals(SagittalSlicer slicer, Predictor<SliceInput, Segmentation> predictor) {
    List<double[]> of(Image image, String study) throws Exception {
      List<SagittalSlice> slices = slicer.slice(image, null).slices();
      List<double[]> rows = new ArrayList<>();
      for (int i = 0; i < slices.size(); i += BATCH) {
        List<SagittalSlice> chunk = slices.subList(i, Math.min(slices.size(), i + BATCH));
        List<Segmentation> predicted =
            predictor.batchPredict(
                chunk.stream()
                    .map(s -> new SliceInput(s.pixels(), s.width(), s.height()))
                    .toList());
        for (Segmentation s : predicted) {
          rows.add(
              QualitySignals.observation(
                  LabelFreeSignals.compute(s.probabilities(), s.classes(), s.width(), s.height())
                      .asSignals(),
                  study));
        }
      }
      return rows;
    }
  }
}
