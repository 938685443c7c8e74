package io.spineflow.cli.evaluation;

import io.spineflow.cli.ConsoleProgress;
import io.spineflow.cli.studies.LabelledStudyFile;
import io.spineflow.platform.ConfigException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code evaluate --folds K}: cross-validation by study. The studies are split into K folds ({@link
 * StudyFolds}, stratified by set); for each fold a model is trained on the other K−1 ({@link
 * FoldTrainer}) and scored on the held-out one ({@link StudyEvaluator}); the fold means are
 * summarised over folds ({@link FoldSummary}).
 */
public final class CrossValidation {
  private final FoldTrainer trainer;
  private final StudyEvaluator evaluator;

  /**
   * @param trainer trains one fold's model
   * @param evaluator scores a model on the held-out studies
   */
  public CrossValidation(FoldTrainer trainer, StudyEvaluator evaluator) {
    this.trainer = trainer;
    this.evaluator = evaluator;
  }

  /**
   * Refuses, before any training, fold counts the studies cannot fill.
   *
   * @throws ConfigException naming {@code --folds} when {@code k < 2} or there are fewer studies
   *     than folds
   */
  public static void checkFolds(List<LabelledStudyFile> studies, int k) {
    try {
      StudyFolds.assign(studies, LabelledStudyFile::name, LabelledStudyFile::set, k, 0);
    } catch (IllegalArgumentException tooFewStudies) {
      throw new ConfigException("--folds", tooFewStudies.getMessage());
    }
  }

  /**
   * Runs every fold.
   *
   * @param workDir a directory each fold gets an empty subdirectory of
   * @param log one line per fold (training and held-out study counts), progress per study
   */
  public FoldSummary run(
      List<LabelledStudyFile> studies, int k, long seed, Path workDir, PrintWriter log)
      throws Exception {
    List<List<LabelledStudyFile>> folds =
        StudyFolds.assign(studies, LabelledStudyFile::name, LabelledStudyFile::set, k, seed);
    FoldSummary summary = new FoldSummary();
    for (int f = 0; f < k; f++) {
      List<LabelledStudyFile> training = StudyFolds.trainingFor(folds, f);
      List<LabelledStudyFile> heldOut = folds.get(f);
      log.printf(
          Locale.ROOT,
          "fold %d/%d: training on %d studies, scoring %d%n",
          f + 1,
          k,
          training.size(),
          heldOut.size());
      log.flush();
      Path foldDir = Files.createDirectories(workDir.resolve("fold-" + (f + 1)));
      Path model = trainer.train(f, training, foldDir);
      ConsoleProgress progress =
          ConsoleProgress.of(log, "fold " + (f + 1) + " evaluate", "studies", heldOut.size());
      summary.add(evaluator.evaluate(model, heldOut, progress).scoped());
    }
    return summary;
  }
}
