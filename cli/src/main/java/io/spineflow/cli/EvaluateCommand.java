package io.spineflow.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spineflow.cli.evaluation.CrossValidation;
import io.spineflow.cli.evaluation.FoldSummary;
import io.spineflow.cli.evaluation.FoldTrainer;
import io.spineflow.cli.evaluation.LevelEvaluation;
import io.spineflow.cli.evaluation.RecipeFoldTrainer;
import io.spineflow.cli.evaluation.ScopedEvaluationTable;
import io.spineflow.cli.evaluation.StudyEvaluator;
import io.spineflow.cli.studies.LabelledStudyFile;
import io.spineflow.cli.studies.LabelledStudyFiles;
import io.spineflow.cli.training.TrainingRecipe;
import io.spineflow.model.DjlEngine;
import io.spineflow.model.ModelStore;
import io.spineflow.model.StoredModel;
import io.spineflow.platform.ConfigException;
import io.spineflow.preprocess.PreprocessConfig;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./spineflow evaluate --model DIR --data DIR}: a stored model scored on labelled studies,
 * preprocessed exactly as the pipeline does.
 *
 * <ul>
 *   <li>Every study, partially labelled or not: per set and labelled class Dice, IoU, precision and
 *       recall over every slice of the spine region with a labelled or predicted structure, inside
 *       the labelled extent; body recall and area ratio for bodies-only labels ({@link
 *       io.spineflow.cli.evaluation.ScopedEvaluationTable}).
 *   <li>Complete studies also: the papers' table (per class and sequence: Dice, IoU, precision,
 *       recall, F1, ASD, NSD, HD95) on the slices the pipeline's filters keep.
 *   <li>{@code --folds K}: cross-validation by study: a model per fold trained with {@code train}'s
 *       recipe ({@link RecipeTrainer}) on the other folds' studies (+ phantoms), scored on its
 *       fold; mean ± SD over folds, every figure out of sample ({@link CrossValidation}).
 * </ul>
 */
@Command(
    name = "evaluate",
    description =
        "Evaluate a stored model on labelled (also partially labelled) studies, as Markdown and"
            + " JSON; --folds K cross-validates by study.")
final class EvaluateCommand implements Callable<Integer> {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Spec CommandSpec spec;

  @Option(
      names = "--model",
      paramLabel = "DIR",
      description =
          "A model version directory (weights.params, architecture.json); not with --folds.")
  Path modelDir;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      required = true,
      description =
          "Labelled studies: images/NAME.mha + masks/NAME.mha (SPIDER), or NAME.mha +"
              + " NAME.mask.mha; partial labels declared by NAME.labels or manifest.tsv.")
  Path dataDir;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      defaultValue = "evaluation.json",
      description = "Where to write the tables as JSON (default: ${DEFAULT-VALUE}).")
  Path json;

  @Option(
      names = "--overlays",
      paramLabel = "DIR",
      description =
          "Write one picture per study into DIR: its most labelled slice, the manual label (rows"
              + " outside the labelled extent darkened) and the model's prediction; not with"
              + " --folds.")
  Path overlays;

  @Option(
      names = "--nsd-tolerance-mm",
      defaultValue = "2.0",
      description = "NSD tolerance in mm (default: ${DEFAULT-VALUE}).")
  double nsdTolerance;

  @Option(
      names = "--folds",
      paramLabel = "K",
      description =
          "Cross-validate by study: train on K-1 folds, score the K-th, mean ± SD over folds.")
  Integer folds;

  @Option(
      names = "--work",
      paramLabel = "DIR",
      description =
          "With --folds: where each fold's model is kept, fold-N/model (default: a new"
              + " temporary directory, printed).")
  Path work;

  @Option(
      names = "--resume",
      description =
          "With --folds and --work: keep the folds already trained there (same recipe, same"
              + " studies, else refused) and continue the one cut short from its checkpoints.")
  boolean resume;

  @Option(
      names = "--levels",
      description =
          "Also segment the studies whose labels name levels (the real IVD and VB3 sets) as the"
              + " pipeline does, number and measure their levels, and compare with the manual"
              + " labels; not with --folds.")
  boolean levels;

  /** With --folds, the training recipe of every fold (and the seed of the fold assignment). */
  @Mixin RecipeOptions recipeOptions = new RecipeOptions();

  /**
   * Trains one fold's model for {@code --folds}; null: a {@link RecipeFoldTrainer} (tests replace
   * it).
   */
  FoldTrainer foldTrainer;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (levels && folds != null) {
      throw new ConfigException("--levels", "not with --folds: give --model DIR");
    }
    List<LabelledStudyFile> studies = LabelledStudyFiles.require(dataDir, "--data");
    if ((folds == null) == (modelDir == null)) {
      throw new ConfigException("--model", "give exactly one of --model DIR and --folds K");
    }
    DjlEngine.ensureStarted();
    StudyEvaluator evaluator =
        new StudyEvaluator(
            PreprocessConfig.defaults(Files.createTempDirectory("spineflow-evaluate")),
            nsdTolerance,
            folds == null ? overlays : null);
    return folds == null
        ? once(evaluator, studies, out, err)
        : crossValidate(evaluator, studies, out, err);
  }

  private int once(
      StudyEvaluator evaluator, List<LabelledStudyFile> studies, PrintWriter out, PrintWriter err)
      throws Exception {
    StoredModel stored = ModelStore.inspect(modelDir);
    StudyEvaluator.Result result =
        evaluator.evaluate(
            modelDir, studies, ConsoleProgress.of(err, "evaluate", "studies", studies.size()));
    out.printf(
        Locale.ROOT,
        "%n%s v%d on %d studies (%d completely labelled, %d skipped), %d slices scored%n%n",
        stored.name(),
        stored.version(),
        studies.size() - result.skipped().size(),
        result.completeStudies(),
        result.skipped().size(),
        result.scoped().slices(ScopedEvaluationTable.POOLED));
    result.skipped().forEach(reason -> out.println("skipped " + reason));
    out.println("Labelled classes, per set:");
    out.println();
    out.println(result.scoped().toMarkdown());
    ObjectNode root = JSON.createObjectNode();
    root.set("scoped", result.scoped().toJsonTree(JSON));
    if (result.completeStudies() > 0) {
      out.printf(
          Locale.ROOT,
          "Completely labelled studies, on the pipeline's slices (NSD tolerance %.1f mm):%n%n",
          nsdTolerance);
      out.println(result.papers().toMarkdown());
      root.set("papers", result.papers().toJsonTree());
    }
    if (levels) {
      root.set("levels", levels(studies, out, err));
    }
    return writeJson(root, out);
  }

  /** The per-level analysis of the model's results against labels that name levels. */
  private com.fasterxml.jackson.databind.JsonNode levels(
      List<LabelledStudyFile> studies, PrintWriter out, PrintWriter err) throws Exception {
    List<LabelledStudyFile> withLevels =
        studies.stream().filter(LevelEvaluation::carriesLevels).toList();
    List<String> skipped = new java.util.ArrayList<>();
    List<LevelEvaluation.StudyLevels> results =
        LevelEvaluation.evaluate(
            modelDir,
            PreprocessConfig.defaults(Files.createTempDirectory("spineflow-levels")),
            withLevels,
            ConsoleProgress.of(err, "levels", "studies", withLevels.size()),
            skipped);
    out.println();
    out.printf(
        Locale.ROOT,
        "Levels of the model's results on %d studies whose labels name levels:%n%n",
        results.size());
    skipped.forEach(reason -> out.println("skipped " + reason));
    out.println(LevelEvaluation.toMarkdown(results));
    return JSON.valueToTree(results);
  }

  private int crossValidate(
      StudyEvaluator evaluator, List<LabelledStudyFile> studies, PrintWriter out, PrintWriter err)
      throws Exception {
    CrossValidation.checkFolds(studies, folds);
    if (resume && work == null) {
      throw new ConfigException("--resume", "give the --work directory of the run to resume");
    }
    FoldTrainer trainer =
        foldTrainer != null
            ? foldTrainer
            : new RecipeFoldTrainer(recipeOptions.recipe(), dataDir, err, resume);
    Path workDir = work != null ? work : Files.createTempDirectory("spineflow-folds");
    err.println("fold models in " + workDir.toAbsolutePath());
    long started = System.nanoTime();
    FoldSummary summary =
        new CrossValidation(trainer, evaluator)
            .run(studies, folds, recipeOptions.seed, workDir, err);
    TrainingRecipe recipe = recipeOptions.recipe();
    out.printf(
        Locale.ROOT,
        "%n%d-fold cross-validation by study, %d studies; each fold trained (+ %d phantoms,"
            + " profile %s, budget %s min, seed %d) in %.1f min in all%n%n",
        folds,
        studies.size(),
        recipe.phantoms(),
        recipe.profile(),
        recipeOptions.budgetMinutes,
        recipe.seed(),
        (System.nanoTime() - started) / 6e10);
    out.println(summary.toMarkdown());
    ObjectNode root = JSON.createObjectNode();
    root.set("folds", summary.toJsonTree(JSON));
    return writeJson(root, out);
  }

  private int writeJson(ObjectNode root, PrintWriter out) throws java.io.IOException {
    Files.writeString(json, JSON.writeValueAsString(root), StandardCharsets.UTF_8);
    out.println("JSON: " + json.toAbsolutePath());
    return 0;
  }
}
