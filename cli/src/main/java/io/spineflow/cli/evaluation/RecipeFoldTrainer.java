package io.spineflow.cli.evaluation;

import io.spineflow.cli.studies.LabelledStudyFile;
import io.spineflow.cli.training.RecipeTrainer;
import io.spineflow.cli.training.TrainingRecipe;
import io.spineflow.cli.training.TrainingSource;
import io.spineflow.model.training.TrainingResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Trains each fold with {@code train}'s recipe ({@link RecipeTrainer}) on the fold's training
 * studies (+ the recipe's phantoms): the model in {@code fold-N/model}, its checkpoints deleted
 * once it is written. What {@code evaluate --folds} and {@code bench realmri} train folds with.
 */
public final class RecipeFoldTrainer implements FoldTrainer {
  private final RecipeTrainer trainer;
  private final Path dataDir;
  private final PrintWriter log;

  /**
   * @param recipe how every fold trains
   * @param dataDir the folder the studies come from, as the model card names it
   * @param log one line per fold (why it stopped, epochs, minutes, validation) and the training's
   *     own lines and bars
   */
  public RecipeFoldTrainer(TrainingRecipe recipe, Path dataDir, PrintWriter log) {
    this.trainer = new RecipeTrainer(recipe, log, log);
    this.dataDir = dataDir;
    this.log = log;
  }

  @Override
  public Path train(int fold, List<LabelledStudyFile> training, Path foldDir) throws Exception {
    Path checkpoints = foldDir.resolve("checkpoints");
    RecipeTrainer.Trained trained =
        trainer.train(
            List.of(new TrainingSource(dataDir, training)),
            foldDir.resolve("model"),
            checkpoints,
            false);
    log.printf(
        Locale.ROOT,
        "fold %d: %s after %d epochs (%.1f min), validation %s%n",
        fold + 1,
        trained.result().stopReason(),
        trained.result().epochs(),
        trained.result().duration().toMillis() / 60000.0,
        trained.scores().summary());
    TrainingResult.deleteRecursively(checkpoints);
    return trained.model();
  }
}
