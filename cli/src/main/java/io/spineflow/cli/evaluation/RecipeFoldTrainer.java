package io.spineflow.cli.evaluation;

import io.spineflow.cli.studies.LabelledStudyFile;
import io.spineflow.cli.training.RecipeTrainer;
import io.spineflow.cli.training.TrainingRecipe;
import io.spineflow.cli.training.TrainingSource;
import io.spineflow.model.training.TrainingResult;
import io.spineflow.platform.ConfigException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Trains each fold with {@code train}'s recipe ({@link RecipeTrainer}) on the fold's training
 * studies (+ the recipe's phantoms): the model in {@code fold-N/model}, its checkpoints deleted
 * once it is written. What {@code evaluate --folds} and {@code bench realmri} train folds with.
 *
 * <p>Resuming (an interrupted {@code evaluate --folds --resume}), a fold whose model was already
 * written by the same recipe from the same studies is kept, and a fold cut short continues from its
 * checkpoints; a model made otherwise is refused rather than scored as if it were this recipe's.
 */
public final class RecipeFoldTrainer implements FoldTrainer {
  private final RecipeTrainer trainer;
  private final Path dataDir;
  private final PrintWriter log;
  private final boolean resume;

  /**
   * @param recipe how every fold trains
   * @param dataDir the folder the studies come from, as the model card names it
   * @param log one line per fold (why it stopped, epochs, minutes, validation) and the training's
   *     own lines and bars
   */
  public RecipeFoldTrainer(TrainingRecipe recipe, Path dataDir, PrintWriter log) {
    this(recipe, dataDir, log, false);
  }

  /**
   * @param resume keep the folds already trained in the work directory, continue the one cut short
   */
  public RecipeFoldTrainer(TrainingRecipe recipe, Path dataDir, PrintWriter log, boolean resume) {
    this.trainer = new RecipeTrainer(recipe, log, log);
    this.dataDir = dataDir;
    this.log = log;
    this.resume = resume;
  }

  @Override
  public Path train(int fold, List<LabelledStudyFile> training, Path foldDir) throws Exception {
    Path checkpoints = foldDir.resolve("checkpoints");
    Path model = foldDir.resolve("model");
    List<TrainingSource> sources = List.of(new TrainingSource(dataDir, training));
    if (resume && Files.exists(model) && !Files.isDirectory(checkpoints)) {
      if (!trainer.madeFrom(model, sources)) {
        throw new ConfigException(
            "--resume",
            model
                + " was not trained by this recipe from this fold's studies; give the options it"
                + " was made with, or another --work directory");
      }
      log.printf(Locale.ROOT, "fold %d: kept the model trained before, %s%n", fold + 1, model);
      return model;
    }
    RecipeTrainer.Trained trained =
        trainer.train(sources, model, checkpoints, resume && Files.isDirectory(checkpoints));
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
