package io.spineflow.cli;

import io.spineflow.cli.studies.LabelledStudyFile;
import io.spineflow.cli.studies.LabelledStudyFiles;
import io.spineflow.cli.training.RecipeTrainer;
import io.spineflow.cli.training.TrainingRecipe;
import io.spineflow.cli.training.TrainingSource;
import io.spineflow.model.DjlEngine;
import io.spineflow.platform.ConfigException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./spineflow train --out DIR [--data DIR]... [--phantoms N]}: trains a model offline,
 * without Kafka, on labelled studies on disk (complete or partially labelled, declared by {@code
 * NAME.labels} or {@code manifest.tsv}) mixed with labelled phantoms, preprocessed as the pipeline
 * does, split by study, augmented on the fly; and writes it as a model directory (weights, its
 * architecture, and metadata naming what it was trained on) that {@code demo --model DIR} serves at
 * once. Without {@code --data} it trains on phantoms only (the demo's starter model was made so).
 *
 * <p>Checkpoints go to {@code DIR.checkpoints} (or {@code --checkpoints}), kept after the run:
 * {@code --resume} continues an interrupted (or budget-stopped) run from its last epoch.
 */
@Command(
    name = "train",
    description =
        "Train a model offline on labelled studies (--data, also partially labelled) and phantoms,"
            + " and write it as a model directory (for demo --model DIR).")
final class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "New directory.")
  Path out;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description =
          "Labelled studies (repeatable): images/NAME.mha + masks/NAME.mha (SPIDER), or NAME.mha +"
              + " NAME.mask.mha; partial labels declared by NAME.labels or manifest.tsv.")
  List<Path> data = new ArrayList<>();

  @Option(
      names = "--checkpoints",
      paramLabel = "DIR",
      description = "Where the run keeps its checkpoints (default: the --out path + .checkpoints).")
  Path checkpoints;

  @Option(
      names = "--resume",
      description = "Continue the run kept in the checkpoint directory (same data and recipe).")
  boolean resume;

  @Option(
      names = "--card-note",
      paramLabel = "TEXT",
      description =
          "A line for the model card (repeatable): the data's sources, citations and terms of use."
              + " May be added when resuming a run.")
  List<String> cardNotes = new ArrayList<>();

  @Mixin RecipeOptions recipeOptions;

  @Override
  public Integer call() throws Exception {
    PrintWriter console = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (Files.exists(out) && !resume) {
      throw new ConfigException("--out", out + " exists; give a new directory");
    }
    TrainingRecipe recipe = recipeOptions.recipe();
    List<TrainingSource> sources = sources(data);
    Path work =
        checkpoints != null ? checkpoints : out.resolveSibling(out.getFileName() + ".checkpoints");
    DjlEngine.ensureStarted();
    console.printf(
        Locale.ROOT,
        "training on %d labelled studies from %d folders and %d phantoms; profile %s, seed %d,"
            + " augmentation %s; checkpoints in %s%n",
        sources.stream().mapToInt(s -> s.studies().size()).sum(),
        sources.size(),
        recipe.phantoms(),
        recipe.profile(),
        recipe.seed(),
        recipe.augment() ? "strength " + recipe.augmentStrength() : "off",
        work);
    console.flush();
    RecipeTrainer.Trained trained =
        new RecipeTrainer(recipe, console, err, cardNotes).train(sources, out, work, resume);
    console.printf(
        Locale.ROOT,
        "stopped: %s after %d epochs (%d steps, %.1f min); best epoch %d%n",
        trained.result().stopReason(),
        trained.result().epochs(),
        trained.result().steps(),
        trained.result().duration().toMillis() / 60000.0,
        trained.result().bestEpoch());
    console.printf(
        Locale.ROOT,
        "wrote %s (sha256 %s): validation %s%n",
        out,
        trained.sha256(),
        trained.scores().summary());
    return 0;
  }

  /** The studies of each --data folder. */
  static List<TrainingSource> sources(List<Path> dirs) throws java.io.IOException {
    List<TrainingSource> sources = new ArrayList<>();
    for (Path dir : dirs) {
      if (!Files.isDirectory(dir)) {
        throw new ConfigException("--data", dir + ": no such directory");
      }
      List<LabelledStudyFile> studies;
      try {
        studies = LabelledStudyFiles.find(dir);
      } catch (IllegalArgumentException malformedDeclaration) {
        throw new ConfigException("--data", malformedDeclaration.getMessage());
      }
      if (studies.isEmpty()) {
        throw new ConfigException("--data", dir + " holds no labelled .mha studies");
      }
      sources.add(new TrainingSource(dir, studies));
    }
    return sources;
  }
}
