package io.spineflow.cli.evaluation;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import io.spineflow.cli.ConsoleProgress;
import io.spineflow.cli.studies.LabelledStudyFile;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.levels.LabelScheme;
import io.spineflow.imaging.levels.LevelAnalysis;
import io.spineflow.imaging.levels.LevelAnalyzer;
import io.spineflow.imaging.levels.LevelMeasurement;
import io.spineflow.imaging.levels.LevelNames;
import io.spineflow.imaging.levels.NumberingCheck;
import io.spineflow.imaging.metaimage.MetaImageException;
import io.spineflow.imaging.metaimage.MetaImageReader;
import io.spineflow.imaging.volume.LabelVolume;
import io.spineflow.imaging.volume.LabelVolumeAssembler;
import io.spineflow.imaging.volume.LabelVolumeException;
import io.spineflow.imaging.volume.SliceMask;
import io.spineflow.model.Devices;
import io.spineflow.model.ModelStore;
import io.spineflow.model.Segmentation;
import io.spineflow.model.SegmentationModel;
import io.spineflow.model.SliceInput;
import io.spineflow.model.StoredModel;
import io.spineflow.preprocess.PreprocessConfig;
import io.spineflow.preprocess.slicing.SagittalSlice;
import io.spineflow.preprocess.slicing.SagittalSlicer;
import io.spineflow.preprocess.slicing.SlicedStudy;
import io.spineflow.preprocess.slicing.StudyRejectedException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * Numbering and disc heights of the product's own results on real scans, against manual labels that
 * carry levels. A study goes the way a hospital's does: sliced unlabelled by the pipeline's slicer
 * and filters, every kept slice segmented, the masks put back on the scan's grid ({@link
 * LabelVolumeAssembler}) and analysed ({@link LevelAnalyzer}); then each level found is named by
 * the manual label under it ({@link NumberingCheck}). The manual label is analysed too, on its own,
 * so a wrong name can be told apart: the labels' fault (a partial label cannot anchor the
 * numbering) or the model's.
 */
public final class LevelEvaluation {
  private static final int BATCH = 8;

  private final SagittalSlicer slicer;

  /**
   * @param slicer the pipeline's slicer, at the model's input size
   */
  public LevelEvaluation(SagittalSlicer slicer) {
    this.slicer = slicer;
  }

  /**
   * Evaluates the model stored in {@code modelDir} on those of {@code studies} whose labels name
   * levels, one progress step each; a study the slicer refuses or that cannot be read is listed in
   * {@code skipped} with its reason.
   */
  public static List<StudyLevels> evaluate(
      Path modelDir,
      PreprocessConfig preprocess,
      List<LabelledStudyFile> studies,
      ConsoleProgress progress,
      List<String> skipped)
      throws Exception {
    StoredModel stored = ModelStore.inspect(modelDir);
    LevelEvaluation evaluation =
        new LevelEvaluation(
            preprocess
                .withSliceSize(stored.config().inputWidth(), stored.config().inputHeight())
                .slicer());
    List<StudyLevels> results = new ArrayList<>();
    try (SegmentationModel model =
            ModelStore.load(modelDir, stored.sha256(), stored.config(), Devices.best());
        Predictor<SliceInput, Segmentation> predictor = model.newPredictor()) {
      for (LabelledStudyFile study : studies) {
        try {
          StudyLevels levels = evaluation.evaluate(study, predictor);
          results.add(levels);
          progress.step(
              study.name() + ": " + levels.model().agreed() + "/" + levels.model().compared());
        } catch (StudyRejectedException | MetaImageException | LabelVolumeException e) {
          skipped.add(study.name() + ": " + e.getMessage());
          progress.step(study.name() + ": skipped");
        }
      }
    }
    return results;
  }

  /**
   * One analysis's numbering against the manual label.
   *
   * @param levels levels found (discs, bodies, sacrum)
   * @param compared of those, levels the manual label names
   * @param agreed of those, levels named as the manual label names them
   * @param mismatches {@code ours≠manual}
   * @param flags the analysis's study-level flags
   */
  public record Numbering(
      int levels, int compared, int agreed, List<String> mismatches, List<String> flags) {
    public Numbering {
      mismatches = List.copyOf(mismatches);
      flags = List.copyOf(flags);
    }
  }

  /**
   * The middle height of one disc, from the model's segmentation and from the manual label, paired
   * by the manual label's name of each.
   */
  public record DiscHeight(String level, double modelMm, double manualMm) {
    public double errorMm() {
      return modelMm - manualMm;
    }
  }

  /** One study: the model's results and the manual label's own analysis. */
  public record StudyLevels(
      String study,
      String set,
      int segmentedSlices,
      Numbering model,
      Numbering manual,
      List<DiscHeight> discHeights) {
    public StudyLevels {
      discHeights = List.copyOf(discHeights);
    }
  }

  /**
   * How a data set's label values name levels, when they do (see the data's README): the IVD set
   * labels discs 201 (L5/S1) … 205 (L1/L2), SPIDER's convention; VB3 labels bodies 1 (L1, top) … 5
   * (L5). Other sets number instances, not levels.
   */
  public static Optional<IntFunction<String>> levelNames(String set) {
    return switch (set.toUpperCase(Locale.ROOT)) {
      case "IVD" ->
          Optional.of(v -> v >= 201 && v <= 205 ? LevelNames.disc(v - 200) : (String) null);
      case "VB3" -> Optional.of(v -> v >= 1 && v <= 5 ? "L" + v : (String) null);
      default -> Optional.empty();
    };
  }

  /** Whether {@code study} belongs to a set whose labels name levels. */
  public static boolean carriesLevels(LabelledStudyFile study) {
    return levelNames(study.set()).isPresent();
  }

  /**
   * Evaluates one study of a set that names levels.
   *
   * @throws IllegalArgumentException for a study of a set that does not
   */
  public StudyLevels evaluate(
      LabelledStudyFile study, Predictor<SliceInput, Segmentation> predictor)
      throws IOException, TranslateException {
    IntFunction<String> names =
        levelNames(study.set())
            .orElseThrow(
                () -> new IllegalArgumentException(study.set() + " labels carry no levels"));
    MetaImageReader reader = new MetaImageReader();
    Image image = reader.read(study.image()).image();
    Image manual = reader.read(study.mask()).image();
    LabelVolume segmented = segment(image, predictor);
    LevelAnalysis ofModel = LevelAnalyzer.analyse(segmented.image(), LabelScheme.SPIDER, -1);
    LevelAnalysis ofManual = LevelAnalyzer.analyse(manual, LabelScheme.SPIDER, -1);
    return new StudyLevels(
        study.name(),
        study.set(),
        segmented.segmentedSlices().size(),
        numbering(ofModel, manual, names),
        numbering(ofManual, manual, names),
        discHeights(ofModel, ofManual, manual, names));
  }

  /** The study as the pipeline segments it: kept slices, masks back on the scan's grid. */
  private LabelVolume segment(Image image, Predictor<SliceInput, Segmentation> predictor)
      throws TranslateException {
    SlicedStudy sliced = slicer.slice(image, null);
    List<SagittalSlice> slices = sliced.slices();
    List<SliceMask> masks = new ArrayList<>();
    for (int i = 0; i < slices.size(); i += BATCH) {
      List<SagittalSlice> chunk = slices.subList(i, Math.min(slices.size(), i + BATCH));
      List<Segmentation> predicted =
          predictor.batchPredict(
              chunk.stream().map(s -> new SliceInput(s.pixels(), s.width(), s.height())).toList());
      for (int j = 0; j < chunk.size(); j++) {
        SagittalSlice s = chunk.get(j);
        masks.add(
            new SliceMask(
                s.sourceSliceIndex(),
                sliced.sagittalAxis().axis(),
                s.width(),
                s.height(),
                s.pixelToPhysical(),
                predicted.get(j).classes()));
      }
    }
    return LabelVolumeAssembler.assemble(image.geometry(), masks);
  }

  private static Numbering numbering(
      LevelAnalysis analysis, Image manual, IntFunction<String> names) {
    NumberingCheck.Result r = NumberingCheck.compare(analysis, manual, names);
    return new Numbering(
        analysis.report().levels().size(),
        r.compared(),
        r.agreed(),
        r.mismatches(),
        analysis.report().flags());
  }

  /** Middle heights of the discs both analyses measured, paired by the manual label's name. */
  private static List<DiscHeight> discHeights(
      LevelAnalysis ofModel, LevelAnalysis ofManual, Image manual, IntFunction<String> names) {
    Map<String, Double> manualHeights = middleHeights(ofManual, manual, names);
    Map<String, Double> modelHeights = middleHeights(ofModel, manual, names);
    List<DiscHeight> pairs = new ArrayList<>();
    manualHeights.forEach(
        (level, manualMm) -> {
          Double modelMm = modelHeights.get(level);
          if (modelMm != null) {
            pairs.add(new DiscHeight(level, modelMm, manualMm));
          }
        });
    return pairs;
  }

  /** Reference name → middle height, for the measured discs of one analysis. */
  private static Map<String, Double> middleHeights(
      LevelAnalysis analysis, Image manual, IntFunction<String> names) {
    Map<Integer, String> truth = NumberingCheck.referenceNames(analysis, manual, names);
    Map<String, Double> heights = new java.util.TreeMap<>();
    for (LevelMeasurement level : analysis.report().levels()) {
      String name = truth.get(level.order());
      if (level.kind() == LevelMeasurement.Kind.DISC && name != null && level.middleMm() != null) {
        // Two pieces voting for one disc: keep the first (lowest); the flags name the split.
        heights.putIfAbsent(name, level.middleMm());
      }
    }
    return heights;
  }

  /** A Markdown table of the studies and a pooled line under it. */
  public static String toMarkdown(List<StudyLevels> studies) {
    StringBuilder out =
        new StringBuilder(
            "| study | set | slices segmented | model: levels, named right / named by the label"
                + " | manual label analysed: named right / named by the label"
                + " | disc middle height, model − manual (mm) | model's mismatches | model's flags |\n"
                + "|---|---|---|---|---|---|---|---|\n");
    int compared = 0;
    int agreed = 0;
    int manualCompared = 0;
    int manualAgreed = 0;
    List<Double> errors = new ArrayList<>();
    for (StudyLevels s : studies) {
      compared += s.model().compared();
      agreed += s.model().agreed();
      manualCompared += s.manual().compared();
      manualAgreed += s.manual().agreed();
      s.discHeights().forEach(d -> errors.add(d.errorMm()));
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %d | %d, %d / %d | %d / %d | %s | %s | %s |%n",
              s.study(),
              s.set(),
              s.segmentedSlices(),
              s.model().levels(),
              s.model().agreed(),
              s.model().compared(),
              s.manual().agreed(),
              s.manual().compared(),
              heights(s.discHeights()),
              String.join(" ", s.model().mismatches()),
              String.join("; ", s.model().flags()).replace("|", "/")));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "%nPooled: the model's results named %d of %d levels as the manual labels do; the"
                + " manual labels analysed alone %d of %d. Disc middle height, model − manual: %s.%n",
            agreed,
            compared,
            manualAgreed,
            manualCompared,
            errors.isEmpty()
                ? "no disc measured by both"
                : String.format(
                    Locale.ROOT,
                    "mean %+.2f mm, mean absolute %.2f mm over %d discs",
                    errors.stream().mapToDouble(Double::doubleValue).average().orElse(0),
                    errors.stream().mapToDouble(Math::abs).average().orElse(0),
                    errors.size())));
    return out.toString();
  }

  private static String heights(List<DiscHeight> discs) {
    if (discs.isEmpty()) {
      return "";
    }
    StringBuilder cell = new StringBuilder();
    for (DiscHeight d : discs) {
      cell.append(cell.length() == 0 ? "" : ", ")
          .append(String.format(Locale.ROOT, "%s %+.1f", d.level(), d.errorMm()));
    }
    return cell.toString();
  }
}
