package io.spineflow.cli.evaluation;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import io.spineflow.cli.ConsoleProgress;
import io.spineflow.cli.studies.LabelledStudyFile;
import io.spineflow.cli.studies.LabelledStudySlicer;
import io.spineflow.cli.studies.ScopedSlice;
import io.spineflow.imaging.metaimage.MetaImageException;
import io.spineflow.imaging.metaimage.MetaImageReader;
import io.spineflow.imaging.metrics.EvaluationTable;
import io.spineflow.imaging.metrics.PixelSpacing;
import io.spineflow.imaging.metrics.ScopedMetrics;
import io.spineflow.imaging.metrics.SegmentationMetrics;
import io.spineflow.model.Devices;
import io.spineflow.model.ModelStore;
import io.spineflow.model.Segmentation;
import io.spineflow.model.SegmentationModel;
import io.spineflow.model.SliceInput;
import io.spineflow.model.StoredModel;
import io.spineflow.preprocess.PreprocessConfig;
import io.spineflow.preprocess.slicing.SagittalSlice;
import io.spineflow.preprocess.slicing.SagittalSlicer;
import io.spineflow.preprocess.slicing.StudyRejectedException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Scores a stored model on labelled studies preprocessed as the pipeline does.
 *
 * <ul>
 *   <li>Every study goes into the {@link ScopedEvaluationTable}: every slice of the spine region is
 *       predicted and scored if it has a labelled or a predicted structure, only for the labelled
 *       classes and only inside the labelled extent. No slice is dropped for a missing class.
 *   <li>Complete studies also go into the papers' {@link EvaluationTable} by sequence, on the
 *       slices the pipeline's filters keep (Ahmed et al.'s protocol), as before partial labels
 *       existed.
 * </ul>
 */
public final class StudyEvaluator {
  private static final int BATCH = 8;

  private final PreprocessConfig preprocess;
  private final SegmentationMetrics metrics;
  private final Path overlays;

  /**
   * The scores of one model.
   *
   * @param scoped every study, labelled classes only
   * @param papers the complete studies, the papers' table (empty without complete studies)
   * @param completeStudies complete studies scored into {@code papers}
   * @param skipped studies preprocess rejects or that cannot be read, each with the reason
   */
  public record Result(
      ScopedEvaluationTable scoped,
      EvaluationTable papers,
      int completeStudies,
      List<String> skipped) {}

  /**
   * @param preprocess the pipeline's preprocessing; the slice size is taken from each model
   * @param nsdToleranceMm NSD tolerance of the papers' table
   */
  public StudyEvaluator(PreprocessConfig preprocess, double nsdToleranceMm) {
    this(preprocess, nsdToleranceMm, null);
  }

  /**
   * @param preprocess the pipeline's preprocessing; the slice size is taken from each model
   * @param nsdToleranceMm NSD tolerance of the papers' table
   * @param overlays where to write one {@code NAME.png} per study (slice, manual label, model);
   *     null for none
   */
  public StudyEvaluator(PreprocessConfig preprocess, double nsdToleranceMm, Path overlays) {
    this.preprocess = preprocess;
    this.metrics = new SegmentationMetrics(nsdToleranceMm);
    this.overlays = overlays;
  }

  /**
   * Scores the model stored in {@code modelDir} on {@code studies}, one progress step per study.
   */
  public Result evaluate(Path modelDir, List<LabelledStudyFile> studies, ConsoleProgress progress)
      throws Exception {
    StoredModel stored = ModelStore.inspect(modelDir);
    PreprocessConfig config =
        preprocess.withSliceSize(stored.config().inputWidth(), stored.config().inputHeight());
    Run run = new Run(new LabelledStudySlicer(config), config.slicer());
    List<String> skipped = new ArrayList<>();
    try (SegmentationModel model =
            ModelStore.load(modelDir, stored.sha256(), stored.config(), Devices.best());
        Predictor<SliceInput, Segmentation> predictor = model.newPredictor()) {
      for (LabelledStudyFile study : studies) {
        try {
          int scored = run.study(study, predictor);
          progress.step(study.name() + ": " + scored + " slices scored");
        } catch (StudyRejectedException | MetaImageException e) {
          // One unreadable study must not void the others' scores; it is listed in the result.
          skipped.add(study.name() + ": " + e.getMessage());
          progress.step(study.name() + ": skipped");
        }
      }
    }
    return new Result(run.scoped, run.papers, run.complete, skipped);
  }

  /** One model's pass over the studies. */
  private final class Run {
    final LabelledStudySlicer slicer;
    final SagittalSlicer pipeline;
    final ScopedEvaluationTable scoped = new ScopedEvaluationTable();
    final EvaluationTable papers = new EvaluationTable();
    final StudyOverlays pictures = overlays == null ? null : new StudyOverlays(overlays);
    int complete;

    Run(LabelledStudySlicer slicer, SagittalSlicer pipeline) {
      this.slicer = slicer;
      this.pipeline = pipeline;
    }

    /** Scores one study; returns the slices scored into the scoped table. */
    int study(LabelledStudyFile study, Predictor<SliceInput, Segmentation> predictor)
        throws IOException, TranslateException {
      Set<Integer> papersSlices = study.complete() ? keptByPipeline(pipeline, study) : Set.of();
      complete += study.complete() ? 1 : 0;
      // Predict only what is scored: the spine region, and the pipeline's slices for the papers.
      List<ScopedSlice> wanted =
          slicer.slice(study).stream()
              .filter(s -> s.inSpineRegion() || papersSlices.contains(s.slice().sliceIndex()))
              .toList();
      int scored = 0;
      for (int i = 0; i < wanted.size(); i += BATCH) {
        List<ScopedSlice> chunk = wanted.subList(i, Math.min(wanted.size(), i + BATCH));
        List<Segmentation> predicted =
            predictor.batchPredict(
                chunk.stream()
                    .map(
                        s ->
                            new SliceInput(
                                s.slice().pixels(), s.slice().width(), s.slice().height()))
                    .toList());
        for (int j = 0; j < chunk.size(); j++) {
          ScopedSlice s = chunk.get(j);
          byte[] classes = predicted.get(j).classes();
          if (s.inSpineRegion() && score(scoped, study, s, classes)) {
            scored++;
            if (pictures != null) {
              pictures.offer(s, classes);
            }
          }
          if (papersSlices.contains(s.slice().sliceIndex())) {
            SagittalSlice slice = s.slice();
            papers.addAll(
                study.sequence(),
                metrics.evaluate(
                    classes,
                    slice.label(),
                    slice.width(),
                    slice.height(),
                    PixelSpacing.isotropic(slice.pixelSpacing()),
                    true));
          }
        }
      }
      if (pictures != null) {
        pictures.finish(study.name());
      }
      return scored;
    }
  }

  private boolean score(
      ScopedEvaluationTable table, LabelledStudyFile study, ScopedSlice s, byte[] predicted) {
    SagittalSlice slice = s.slice();
    ScopedMetrics m =
        metrics.evaluate(
            predicted,
            slice.label(),
            slice.width(),
            slice.height(),
            PixelSpacing.isotropic(slice.pixelSpacing()),
            s.scope());
    return table.add(study.set(), study.name(), m);
  }

  /** The slice indices the pipeline's filters keep of a complete study. */
  private static Set<Integer> keptByPipeline(SagittalSlicer pipeline, LabelledStudyFile study)
      throws IOException {
    MetaImageReader reader = new MetaImageReader();
    Set<Integer> kept = new HashSet<>();
    pipeline
        .slice(reader.read(study.image()).image(), reader.read(study.mask()).image())
        .slices()
        .forEach(s -> kept.add(s.sliceIndex()));
    return kept;
  }
}
