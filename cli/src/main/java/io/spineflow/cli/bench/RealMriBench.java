package io.spineflow.cli.bench;

import io.spineflow.cli.evaluation.CrossValidation;
import io.spineflow.cli.evaluation.FoldSummary;
import io.spineflow.cli.evaluation.RecipeFoldTrainer;
import io.spineflow.cli.evaluation.ScopedEvaluationTable;
import io.spineflow.cli.evaluation.ScopedMetric;
import io.spineflow.cli.evaluation.ScoreRow;
import io.spineflow.cli.evaluation.StudyEvaluator;
import io.spineflow.cli.studies.LabelledStudyFile;
import io.spineflow.cli.training.TrainingRecipe;
import io.spineflow.imaging.metrics.MetricSummary;
import io.spineflow.imaging.metrics.SpineClass;
import io.spineflow.model.DjlEngine;
import io.spineflow.preprocess.PreprocessConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * {@code bench realmri}: how well the recipe segments real MRI it never saw. Over the labelled real
 * studies, for each of N seeds: K-fold cross-validation by study ({@link CrossValidation}, folds
 * seeded too), each fold's model trained with {@code train}'s recipe ({@link RecipeFoldTrainer})
 * and scored on its held-out studies. Per seed, the pooled disc Dice, body recall and vertebra/body
 * area ratio as mean ± SD over folds; then the seeds' means as mean ± SD over seeds.
 */
final class RealMriBench {
  /** NSD tolerance of the evaluator (the papers' table is not reported here). */
  private static final double NSD_TOLERANCE_MM = 2.0;

  private final Path dataDir;
  private final List<LabelledStudyFile> studies;
  private final TrainingRecipe recipe;
  private final int folds;
  private final int seeds;

  /**
   * The three figures of one seed (mean ± SD over folds) or of the whole run (mean ± SD over the
   * seeds' means); NaN where no study labels the structure.
   *
   * @param discDice pooled IVD Dice (per-slice mean of each fold's held-out studies)
   * @param bodyRecall pooled vertebral-body recall (per study)
   * @param areaRatio pooled predicted vertebra ÷ labelled body area (per study)
   */
  record Figures(MetricSummary discDice, MetricSummary bodyRecall, MetricSummary areaRatio) {}

  /**
   * @param dataDir the folder the studies come from
   * @param studies its labelled studies
   * @param recipe how every fold trains; its seed is the first seed
   * @param folds K
   * @param seeds N
   */
  RealMriBench(
      Path dataDir, List<LabelledStudyFile> studies, TrainingRecipe recipe, int folds, int seeds) {
    this.dataDir = dataDir;
    this.studies = List.copyOf(studies);
    this.recipe = recipe;
    this.folds = folds;
    this.seeds = seeds;
  }

  /**
   * Runs every seed's cross-validation and prints each seed's full table, then the summary table,
   * the command, the recipe and the wall time.
   *
   * @param workDir each seed's folds go to {@code seed-S/fold-N}
   * @param command the command line, as printed
   * @param out the tables
   * @param log training and evaluation progress
   * @return the figures over seeds
   */
  Figures run(Path workDir, String command, PrintWriter out, PrintWriter log) throws Exception {
    DjlEngine.ensureStarted();
    StudyEvaluator evaluator =
        new StudyEvaluator(
            PreprocessConfig.defaults(Files.createTempDirectory("spineflow-evaluate")),
            NSD_TOLERANCE_MM);
    long started = System.nanoTime();
    List<Integer> seedList = new ArrayList<>();
    List<Figures> perSeed = new ArrayList<>();
    for (int i = 0; i < seeds; i++) {
      int seed = recipe.seed() + i;
      log.printf(Locale.ROOT, "seed %d (%d/%d)%n", seed, i + 1, seeds);
      TrainingRecipe seeded = recipe.withSeed(seed);
      FoldSummary summary =
          new CrossValidation(new RecipeFoldTrainer(seeded, dataDir, log), evaluator)
              .run(studies, folds, seed, workDir.resolve("seed-" + seed), log);
      out.printf(Locale.ROOT, "%nSeed %d, %d folds:%n%n%s", seed, folds, summary.toMarkdown());
      out.flush();
      seedList.add(seed);
      perSeed.add(figures(summary.rows()));
    }
    Figures overall =
        new Figures(
            overSeeds(perSeed, Figures::discDice),
            overSeeds(perSeed, Figures::bodyRecall),
            overSeeds(perSeed, Figures::areaRatio));
    out.printf(
        Locale.ROOT,
        "%nbench realmri: %d studies, %d-fold cross-validation by study, %d seeds; every figure"
            + " out of fold%n%n",
        studies.size(),
        folds,
        seeds);
    out.print(table(seedList, perSeed, overall));
    out.println();
    out.println("command: " + command);
    out.printf(
        Locale.ROOT,
        "recipe: profile %s, %d phantoms (%.2f randomised), augmentation %s, budget %.1f min per"
            + " fold, target Dice %.2f, epochs %s, seeds %d..%d%n",
        recipe.profile(),
        recipe.phantoms(),
        recipe.randomisedPhantoms(),
        recipe.augment()
            ? String.format(Locale.ROOT, "strength %.2f", recipe.augmentStrength())
            : "off",
        recipe.budget().toMillis() / 60000.0,
        recipe.targetDice(),
        recipe.maxEpochs() == 0 ? "the profile's" : Integer.toString(recipe.maxEpochs()),
        recipe.seed(),
        recipe.seed() + seeds - 1);
    out.printf(Locale.ROOT, "wall time: %.1f min%n", (System.nanoTime() - started) / 6e10);
    return overall;
  }

  /**
   * A seed's figures from its fold summary: the pooled rows (all sets), or the only set's row when
   * one set labels the structure and there is no pooled row.
   */
  static Figures figures(List<ScoreRow> rows) {
    return new Figures(
        pooled(rows, SpineClass.DISCS.displayName(), ScopedMetric.DICE),
        pooled(rows, ScopedEvaluationTable.BODIES, ScopedMetric.BODY_RECALL),
        pooled(rows, ScopedEvaluationTable.BODIES, ScopedMetric.AREA_RATIO));
  }

  private static MetricSummary pooled(List<ScoreRow> rows, String structure, ScopedMetric metric) {
    List<ScoreRow> matching = rows.stream().filter(r -> r.structure().equals(structure)).toList();
    ScoreRow row =
        matching.stream()
            .filter(r -> r.set().equals(ScopedEvaluationTable.POOLED))
            .findFirst()
            .orElse(matching.size() == 1 ? matching.get(0) : null);
    MetricSummary summary = row == null ? null : row.metrics().get(metric);
    return summary != null ? summary : new MetricSummary(Double.NaN, Double.NaN, 0);
  }

  private static MetricSummary overSeeds(
      List<Figures> perSeed, Function<Figures, MetricSummary> f) {
    return ScopedEvaluationTable.summary(perSeed.stream().map(s -> f.apply(s).mean()).toList());
  }

  /** The summary table: a row per seed (mean ± SD over folds), then mean ± SD over seeds. */
  static String table(List<Integer> seeds, List<Figures> perSeed, Figures overall) {
    StringBuilder md =
        new StringBuilder(
            "| Seed | Disc Dice | Body recall | Vertebra/body area |\n|---|---:|---:|---:|\n");
    for (int i = 0; i < seeds.size(); i++) {
      md.append(row(seeds.get(i) + " (over folds)", perSeed.get(i)));
    }
    md.append(row("over " + seeds.size() + " seeds", overall));
    return md.toString();
  }

  private static String row(String name, Figures f) {
    return "| "
        + name
        + " | "
        + cell(f.discDice())
        + " | "
        + cell(f.bodyRecall())
        + " | "
        + cell(f.areaRatio())
        + " |\n";
  }

  private static String cell(MetricSummary s) {
    if (s.count() == 0) {
      return "–";
    }
    String text = String.format(Locale.ROOT, "%.4f", s.mean());
    if (!Double.isNaN(s.sd())) {
      text += String.format(Locale.ROOT, " ± %.4f", s.sd());
    }
    return text + " (n=" + s.count() + ")";
  }
}
