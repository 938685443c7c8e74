package io.spineflow.cli.evaluation;

import io.spineflow.cli.studies.LabelledStudyFile;
import java.nio.file.Path;
import java.util.List;

/**
 * Trains one cross-validation fold's model: what {@code evaluate --folds} needs from training.
 * Training sees only the fold's training studies; the held-out fold is scored by the model it
 * returns.
 */
@FunctionalInterface
public interface FoldTrainer {
  /**
   * Trains on {@code training} and stores the model.
   *
   * @param fold the held-out fold, 0-based
   * @param training the studies of every other fold
   * @param workDir an empty directory this fold may use
   * @return the stored model's version directory (weights.params, architecture.json)
   */
  Path train(int fold, List<LabelledStudyFile> training, Path workDir) throws Exception;
}
