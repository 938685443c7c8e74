package io.spineflow.cli.bench;

import io.spineflow.cli.RecipeOptions;
import io.spineflow.cli.evaluation.CrossValidation;
import io.spineflow.cli.studies.LabelledStudyFile;
import io.spineflow.cli.studies.LabelledStudyFiles;
import io.spineflow.cli.training.TrainingRecipe;
import io.spineflow.model.DjlEngine;
import io.spineflow.model.UNetConfig;
import io.spineflow.platform.ConfigException;
import io.spineflow.preprocess.PreprocessBenchmark;
import java.io.PrintWriter;
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
 * {@code ./spineflow bench <name>}: the design's targets as ratios measured side by side in one
 * run; the last line is {@code RESULT <name> <value>}.
 */
@Command(
    name = "bench",
    description =
        "Benchmarks: ratios measured side by side in one run; last line RESULT <name> <value>.",
    subcommands = {
      BenchCommand.Preprocess.class,
      BenchCommand.Inference.class,
      BenchCommand.Pipeline.class,
      BenchCommand.Swap.class,
      BenchCommand.Training.class,
      BenchCommand.Soak.class,
      BenchCommand.Backlog.class,
      BenchCommand.RealMri.class,
    })
public final class BenchCommand {
  /** Where {@code bench realmri} looks for the real set by default: the workspace's shared data. */
  static final String DEFAULT_REALMRI = "../shared/data/realmri";

  /**
   * {@code --profile} of the model benchmarks. A mixin of each, not an option inherited from {@code
   * bench}: {@code bench realmri} takes the training recipe's {@code --profile} instead.
   */
  static final class ModelProfile {
    @Option(
        names = "--profile",
        paramLabel = "cpu|paper",
        defaultValue = "cpu",
        description = "Model profile (default: ${DEFAULT-VALUE}).")
    String profile;

    UNetConfig config() {
      DjlEngine.ensureStarted();
      return UNetConfig.profile(profile);
    }
  }

  @Command(
      name = "preprocess",
      description = "Preprocess slices/s ÷ decoding the same studies alone (target >= 0.5).")
  static final class Preprocess implements Callable<Integer> {
    @Option(
        names = "--studies",
        defaultValue = "6",
        description = "Phantom studies (default: ${DEFAULT-VALUE}).")
    int studies;

    @Override
    public Integer call() {
      PreprocessBenchmark.main(new String[] {Integer.toString(studies), "42"});
      return 0;
    }
  }

  @Command(
      name = "inference",
      description = "Dynamic batching gain: slices/s at batch 8 ÷ batch 1 (> 1).")
  static final class Inference implements Callable<Integer> {
    @Mixin ModelProfile model = new ModelProfile();
    @Spec CommandSpec spec;

    @Option(
        names = "--slices",
        defaultValue = "64",
        description = "Slices per round (default: ${DEFAULT-VALUE}).")
    int slices;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      double ratio = InferenceBench.run(model.config(), slices, 8, 3, out);
      out.printf(Locale.ROOT, "RESULT inference %.3f%n", ratio);
      return 0;
    }
  }

  @Command(
      name = "pipeline",
      description = "Slices/s through Kafka ÷ the bare batched predictor (target >= 0.90).")
  static final class Pipeline implements Callable<Integer> {
    @Mixin ModelProfile model = new ModelProfile();
    @Spec CommandSpec spec;

    @Option(
        names = "--slices",
        defaultValue = "400",
        description = "Slices (default: ${DEFAULT-VALUE}).")
    int slices;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      double ratio = PipelineBench.run(model.config(), slices, 8, out);
      out.printf(Locale.ROOT, "RESULT pipeline %.3f%n", ratio);
      return 0;
    }
  }

  @Command(
      name = "swap",
      description =
          "p99 latency during 10 hot swaps ÷ steady p99 (target <= 1.5, 0 lost or duplicated).")
  static final class Swap implements Callable<Integer> {
    @Mixin ModelProfile model = new ModelProfile();
    @Spec CommandSpec spec;

    @Option(
        names = "--slices",
        defaultValue = "300",
        description = "Slices per phase (default: ${DEFAULT-VALUE}).")
    int slices;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      SwapBench.Result r = SwapBench.run(model.config(), slices, 10, 8, out);
      out.printf(
          Locale.ROOT,
          "slices lost %d, duplicated %d (both must be 0)%n",
          r.lost(),
          r.duplicated());
      out.printf(Locale.ROOT, "RESULT swap %.3f%n", r.ratio());
      return r.lost() == 0 && r.duplicated() == 0 ? 0 : 1;
    }
  }

  @Command(
      name = "training",
      description = "Minutes until validation Dice >= 0.90 on every class (target <= 10).")
  static final class Training implements Callable<Integer> {
    @Mixin ModelProfile model = new ModelProfile();
    @Spec CommandSpec spec;

    @Option(
        names = "--studies",
        defaultValue = "30",
        description = "Phantom studies (default: ${DEFAULT-VALUE}).")
    int studies;

    @Option(
        names = "--budget-minutes",
        defaultValue = "20",
        description = "Give up after (default: ${DEFAULT-VALUE}).")
    int budget;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      model.config();
      double minutes =
          TrainingBench.run(model.profile, studies, java.time.Duration.ofMinutes(budget), out);
      out.printf(Locale.ROOT, "RESULT training %.2f%n", minutes);
      return 0;
    }
  }

  @Command(
      name = "soak",
      description =
          "Streams many studies through ingest, preprocess and inference (each its own JVM):"
              + " throughput, latency percentiles, consumer lag and RSS over time; RSS growth after"
              + " warm-up (target <= 10%), lag back to 0. Writes CSV and a PNG plot.")
  static final class Soak implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--studies",
        defaultValue = "1000",
        description = "Phantom studies (default: ${DEFAULT-VALUE}).")
    int studies;

    @Option(
        names = "--in-flight",
        defaultValue = "4",
        description =
            "Studies sent but not yet complete, at most, when --rate is 0 (default:"
                + " ${DEFAULT-VALUE}).")
    int inFlight;

    @Option(
        names = "--rate",
        defaultValue = "0",
        description =
            "Send this many studies/s (open loop); 0 sends as fast as the pipeline takes them"
                + " (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(
        names = "--size-scale",
        defaultValue = "0.5",
        description = "Phantom resolution; 1 is SPIDER-like (default: ${DEFAULT-VALUE}).")
    double sizeScale;

    @Option(
        names = "--slice-size",
        defaultValue = "64",
        description = "Slice width and height; the model is width 8 (default: ${DEFAULT-VALUE}).")
    int sliceSize;

    @Option(
        names = "--warm-up",
        defaultValue = "0.1",
        description =
            "Share of the studies that is warm-up; RSS growth is measured after it (default:"
                + " ${DEFAULT-VALUE}).")
    double warmup;

    @Option(
        names = "--service-jvm-options",
        defaultValue = "-Xmx256m",
        description = "JVM options of each service, space-separated (default: ${DEFAULT-VALUE}).")
    String jvmOptions;

    @Option(
        names = "--out",
        paramLabel = "DIR",
        defaultValue = ".spineflow/soak",
        description =
            "Where soak.csv, soak-studies.csv, soak.png and the services' logs go (default:"
                + " ${DEFAULT-VALUE}).")
    java.nio.file.Path outDir;

    @Option(
        names = "--timeout-minutes",
        defaultValue = "60",
        description = "Give up after (default: ${DEFAULT-VALUE}).")
    int timeoutMinutes;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      SoakBench.Options options =
          new SoakBench.Options(
              studies,
              sizeScale,
              sliceSize,
              inFlight,
              rate,
              warmup,
              java.util.Arrays.stream(jvmOptions.trim().split("\\s+"))
                  .filter(s -> !s.isEmpty())
                  .toList(),
              io.spineflow.cli.ServiceProcess.currentClasspath(),
              outDir,
              java.time.Duration.ofMinutes(timeoutMinutes));
      SoakBench.Report report = SoakBench.run(options, out);
      out.printf(Locale.ROOT, "RESULT soak %.3f%n", report.worstRssRatio());
      return report.allMasked() && report.lagReturnedToZero() ? 0 : 1;
    }
  }

  @Command(
      name = "backlog",
      description =
          "Inference started on a backlog (default 50,000 slices written while it has no model),"
              + " in its own JVM: RSS at the end of catching up ÷ RSS early in it (target <="
              + " 1.10), held slices at most, catch-up time, every slice one mask, lag 0 after."
              + " Writes backlog.csv.")
  static final class Backlog implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--slices",
        defaultValue = "50000",
        description = "Slices in the backlog (default: ${DEFAULT-VALUE}).")
    int slices;

    @Option(
        names = "--slice-size",
        defaultValue = "64",
        description =
            "Slice width and height; the model is width 8, as the quick demo's (default:"
                + " ${DEFAULT-VALUE}).")
    int sliceSize;

    @Option(
        names = "--max-batch",
        defaultValue = "8",
        description = "inference.max.batch (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(
        names = "--service-jvm-options",
        defaultValue = "-Xmx256m",
        description =
            "JVM options of the inference service, space-separated (default:"
                + " ${DEFAULT-VALUE}).")
    String jvmOptions;

    @Option(
        names = "--out",
        paramLabel = "DIR",
        defaultValue = ".spineflow/backlog",
        description = "Where backlog.csv and inference.log go (default: ${DEFAULT-VALUE}).")
    Path outDir;

    @Option(
        names = "--timeout-minutes",
        defaultValue = "60",
        description = "Give up after (default: ${DEFAULT-VALUE}).")
    int timeoutMinutes;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      BacklogBench.Report r =
          BacklogBench.run(
              new BacklogBench.Options(
                  slices,
                  sliceSize,
                  maxBatch,
                  java.util.Arrays.stream(jvmOptions.trim().split("\\s+"))
                      .filter(s -> !s.isEmpty())
                      .toList(),
                  io.spineflow.cli.ServiceProcess.currentClasspath(),
                  outDir,
                  java.time.Duration.ofMinutes(timeoutMinutes)),
              out);
      out.printf(
          Locale.ROOT,
          "caught up on %d slices in %.0f s (%.0f slices/s); masks %d, distinct %d (each slice"
              + " once: %s); lag back to 0: %s%n",
          r.slices(),
          r.catchUpSeconds(),
          r.slices() / r.catchUpSeconds(),
          r.masks(),
          r.distinctMasks(),
          r.exactlyOnce() ? "yes" : "NO",
          r.lagZero() ? "yes" : "NO");
      out.printf(
          Locale.ROOT,
          "RSS %.0f MiB early (10%% done) -> %.0f MiB at the end; held slices at most %d (bound"
              + " %d)%n",
          r.rssEarly() / (1024.0 * 1024.0),
          r.rssEnd() / (1024.0 * 1024.0),
          r.heldMax(),
          r.bound());
      out.printf(Locale.ROOT, "RESULT backlog_held_max %d%n", r.heldMax());
      out.printf(Locale.ROOT, "RESULT backlog_catch_up_seconds %.1f%n", r.catchUpSeconds());
      out.printf(Locale.ROOT, "RESULT backlog_rss_growth %.3f%n", r.rssGrowth());
      return r.exactlyOnce() && r.lagZero() && r.heldMax() <= r.bound() ? 0 : 1;
    }
  }

  @Command(
      name = "realmri",
      description =
          "Out-of-fold disc Dice on the shared real set (target >= 0.90), with vertebral-body"
              + " recall and vertebra/body area beside it: cross-validated by study, a model per"
              + " fold trained with train's recipe, mean ± SD over folds and seeds. Tens of"
              + " minutes.")
  static final class RealMri implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--data",
        paramLabel = "DIR",
        defaultValue = DEFAULT_REALMRI,
        description =
            "The labelled real studies, as evaluate --data (default: ${DEFAULT-VALUE}, from the"
                + " working directory).")
    Path data;

    @Option(
        names = "--folds",
        paramLabel = "K",
        defaultValue = "3",
        description = "Folds by study, stratified by set (default: ${DEFAULT-VALUE}).")
    int folds;

    @Option(
        names = "--seeds",
        paramLabel = "N",
        defaultValue = "3",
        description =
            "Repeats with seeds S, S+1, …, S+N-1 (S: --seed), each with its own fold assignment"
                + " and training (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(
        names = "--work",
        paramLabel = "DIR",
        description =
            "Where each fold's model is kept, seed-S/fold-N/model (default: a new temporary"
                + " directory, printed).")
    Path work;

    /** How every fold trains; {@code --budget-minutes} is per fold. */
    @Mixin RecipeOptions recipe = new RecipeOptions();

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (seeds < 1) {
        throw new ConfigException("--seeds", "must be at least 1, got " + seeds);
      }
      List<LabelledStudyFile> studies = LabelledStudyFiles.require(data, "--data");
      CrossValidation.checkFolds(studies, folds);
      TrainingRecipe trainingRecipe = recipe.recipe();
      Path workDir = work != null ? work : Files.createTempDirectory("spineflow-realmri");
      err.println("fold models in " + workDir.toAbsolutePath());
      String command =
          "./spineflow "
              + String.join(" ", spec.root().commandLine().getParseResult().originalArgs());
      RealMriBench.Figures f =
          new RealMriBench(data, studies, trainingRecipe, folds, seeds)
              .run(workDir, command, out, err);
      out.printf(Locale.ROOT, "RESULT realmri_body_recall %.4f%n", f.bodyRecall().mean());
      out.printf(Locale.ROOT, "RESULT realmri_body_area_ratio %.4f%n", f.areaRatio().mean());
      out.printf(Locale.ROOT, "RESULT realmri_disc_dice %.4f%n", f.discDice().mean());
      return 0;
    }
  }
}
