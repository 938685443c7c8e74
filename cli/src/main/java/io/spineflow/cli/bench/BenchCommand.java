package io.spineflow.cli.bench;

import io.spineflow.cli.RecipeOptions;
import io.spineflow.cli.ServiceProcess;
import io.spineflow.cli.SettingOptions;
import io.spineflow.cli.StarterModel;
import io.spineflow.cli.evaluation.CrossValidation;
import io.spineflow.cli.studies.LabelledStudyFile;
import io.spineflow.cli.studies.LabelledStudyFiles;
import io.spineflow.cli.training.TrainingRecipe;
import io.spineflow.dashboard.DashboardConfig;
import io.spineflow.dashboard.DashboardSettings;
import io.spineflow.dashboard.DriftRules;
import io.spineflow.model.DjlEngine;
import io.spineflow.model.UNetConfig;
import io.spineflow.platform.ConfigException;
import io.spineflow.platform.Setting;
import io.spineflow.platform.Settings;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./spineflow bench <name>}: the design's targets as ratios measured side by side in one
 * run. Every subcommand has one shape ({@link BenchSubcommand}): options as fields, a measurement
 * that prints as it goes, then its figures as {@code RESULT <name> <value>} lines, the headline
 * figure last, and exit code 1 when an invariant it checks (0 lost, exactly once, …) failed.
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
      BenchCommand.Latency.class,
      BenchCommand.Backlog.class,
      BenchCommand.Scale.class,
      BenchCommand.RealMri.class,
      BenchCommand.Drift.class,
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
  static final class Preprocess extends BenchSubcommand {
    @Option(
        names = "--studies",
        defaultValue = "6",
        description = "Phantom studies (default: ${DEFAULT-VALUE}).")
    int studies;

    @Override
    BenchOutcome measure(PrintWriter out) {
      return PreprocessBench.report(studies, 42, out);
    }
  }

  @Command(
      name = "inference",
      description =
          "Dynamic batching gain: slices/s at batch 8 ÷ batch 1 (> 1); and the model's GFLOP/s"
              + " as a share of the engine's measured matmul peak.")
  static final class Inference extends BenchSubcommand {
    @Mixin ModelProfile model = new ModelProfile();

    @Option(
        names = "--slices",
        defaultValue = "64",
        description = "Slices per round (default: ${DEFAULT-VALUE}).")
    int slices;

    @Option(
        names = "--rounds",
        defaultValue = "3",
        description = "Measured rounds of each side (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Override
    BenchOutcome measure(PrintWriter out) throws Exception {
      InferenceBench.Figures f = InferenceBench.run(model.config(), slices, 8, rounds, out);
      return BenchOutcome.of("inference", f.batchGain(), 3)
          .withBefore("inference_peak_fraction", f.peakFraction(), 3)
          .withBefore("inference_peak_gflops", f.peakGflops(), 2)
          .withBefore("inference_gflops", f.achievedGflops(), 2);
    }
  }

  @Command(
      name = "pipeline",
      description =
          "Slices/s through Kafka ÷ the bare batched predictor, phases alternating over rounds"
              + " (target >= 0.90).")
  static final class Pipeline extends BenchSubcommand {
    @Mixin ModelProfile model = new ModelProfile();

    @Option(
        names = "--slices",
        defaultValue = "300",
        description = "Slices per phase (default: ${DEFAULT-VALUE}).")
    int slices;

    @Option(
        names = "--rounds",
        defaultValue = "5",
        description =
            "Measured rounds, each a bare and a pipeline phase, after one warm-up round (default:"
                + " ${DEFAULT-VALUE}).")
    int rounds;

    @Override
    BenchOutcome measure(PrintWriter out) throws Exception {
      PipelineBench.Figures f = PipelineBench.run(model.config(), slices, 8, rounds, out);
      return BenchOutcome.of("pipeline", f.ratio(), 3)
          .withBefore("pipeline_rounds_spread", f.spread(), 3);
    }
  }

  @Command(
      name = "swap",
      description =
          "p99 latency during 10 hot swaps ÷ steady p99 (target <= 1.5, 0 lost or duplicated), per"
              + " round and its median; --background-load keeps one core busy meanwhile.")
  static final class Swap extends BenchSubcommand {
    @Mixin ModelProfile model = new ModelProfile();

    @Option(
        names = "--slices",
        defaultValue = "1000",
        description = "Slices per phase, each round (default: ${DEFAULT-VALUE}).")
    int slices;

    @Option(
        names = "--rounds",
        defaultValue = "1",
        description = "Steady and swapping phase pairs per arm (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(
        names = "--warmup-rounds",
        split = ",",
        defaultValue = "0",
        description =
            "inference.swap.warmup.rounds of each arm, side by side, e.g. 0,2; the first is the"
                + " headline (default: ${DEFAULT-VALUE}).")
    List<Integer> warmupRounds;

    @Option(
        names = "--loader-nice",
        split = ",",
        defaultValue = "0",
        description =
            "inference.swap.loader.nice of each arm, side by side, e.g. 10,0; arms are every"
                + " combination with --warmup-rounds, the first of each the headline (default:"
                + " ${DEFAULT-VALUE}).")
    List<Integer> loaderNice;

    @Option(
        names = "--background-load",
        description = "Another process keeps one core busy while the benchmark runs.")
    boolean backgroundLoad;

    @Override
    BenchOutcome measure(PrintWriter out) throws Exception {
      List<SwapBench.ArmSettings> armSettings = new ArrayList<>();
      for (int nice : loaderNice) {
        for (int warmup : warmupRounds) {
          armSettings.add(new SwapBench.ArmSettings(warmup, nice));
        }
      }
      SwapBench.Plan plan = new SwapBench.Plan(model.config(), slices, 10, 8, rounds, armSettings);
      List<SwapBench.Arm> arms;
      boolean loadHeld = true;
      if (backgroundLoad) {
        out.println("background load: one core kept busy by another process");
        try (BackgroundLoad load = BackgroundLoad.start()) {
          arms = SwapBench.run(plan, out);
          loadHeld = load.alive();
        }
      } else {
        arms = SwapBench.run(plan, out);
      }
      boolean exact = true;
      for (SwapBench.Arm arm : arms) {
        out.printf(
            Locale.ROOT,
            "%s: ratio median %.3f over %d rounds (spread %.3f); lost %d,"
                + " duplicated %d (both must be 0)%n",
            arm.settings().label(),
            arm.median(),
            arm.ratios().length,
            arm.spread(),
            arm.lost(),
            arm.duplicated());
        exact &= arm.lost() == 0 && arm.duplicated() == 0;
      }
      // The first arm is the headline, printed last; the others and its spread before it.
      SwapBench.Arm headline = arms.get(0);
      BenchOutcome outcome = BenchOutcome.of("swap", headline.median(), 3);
      if (rounds > 1) {
        outcome = outcome.withBefore("swap_rounds_spread", headline.spread(), 3);
      }
      for (SwapBench.Arm arm : arms.subList(1, arms.size())) {
        outcome = outcome.withBefore("swap_" + arm.settings().key(), arm.median(), 3);
      }
      return outcome.requiring(exact && loadHeld);
    }
  }

  @Command(
      name = "training",
      description = "Minutes until validation Dice >= 0.90 on every class (target <= 10).")
  static final class Training extends BenchSubcommand {
    @Mixin ModelProfile model = new ModelProfile();

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
    BenchOutcome measure(PrintWriter out) throws Exception {
      model.config();
      double minutes = TrainingBench.run(model.profile, studies, Duration.ofMinutes(budget), out);
      return BenchOutcome.of("training", minutes, 2);
    }
  }

  @Command(
      name = "soak",
      description =
          "Streams many studies through ingest, preprocess and inference (each its own JVM):"
              + " throughput, latency percentiles, consumer lag and RSS over time; RSS growth after"
              + " warm-up (target <= 10%), lag back to 0. Writes CSV and a PNG plot.")
  static final class Soak extends BenchSubcommand {
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

    @Mixin SoakProfile soakProfile = new SoakProfile(SoakBench.QUICK);

    @Option(
        names = "--warm-up",
        defaultValue = "0.1",
        description =
            "Share of the studies that is warm-up; RSS growth is measured after it (default:"
                + " ${DEFAULT-VALUE}).")
    double warmup;

    @Mixin ServiceJvmOptions jvm = new ServiceJvmOptions();

    @Option(
        names = "--out",
        paramLabel = "DIR",
        defaultValue = ".spineflow/soak",
        description =
            "Where soak.csv, soak-studies.csv, soak.png and the services' logs go (default:"
                + " ${DEFAULT-VALUE}).")
    Path outDir;

    @Override
    BenchOutcome measure(PrintWriter out) throws Exception {
      SoakBench.Options options = soakProfile.options(studies, inFlight, rate, warmup, jvm, outDir);
      SoakBench.Report report = SoakBench.run(options, out);
      return BenchOutcome.of("soak", report.worstRssRatio(), 3)
          .withBefore(
              "soak_upload_latency_p99_ms", Percentiles.of(report.uploadLatencyMillis(), 99), 0)
          .withBefore(
              "soak_upload_latency_p50_ms", Percentiles.of(report.uploadLatencyMillis(), 50), 0)
          .requiring(report.allMasked() && report.lagReturnedToZero());
    }
  }

  /**
   * What the soak and latency benches serve: {@code --profile} picks the model and, unless given,
   * the phantoms' size and the slice size to go with it.
   */
  static final class SoakProfile {
    @Option(
        names = "--profile",
        paramLabel = "quick|cpu|paper",
        description =
            "quick: an untrained width-8 model on 64x64 slices of half-size phantoms; cpu (the"
                + " default model's architecture, untrained) or paper: SPIDER-sized phantoms and"
                + " the profile's slices (default: quick for soak, cpu for latency).")
    String chosen;

    @Option(
        names = "--size-scale",
        description = "Phantom resolution; 1 is SPIDER-like (default: 0.5 quick, else 1).")
    Double sizeScale;

    @Option(
        names = "--slice-size",
        description = "Slice width and height (default: 64 quick, else the profile's input).")
    Integer sliceSize;

    // Not an option default: picocli would apply one default to both benches.
    private final String unlessChosen;

    SoakProfile(String unlessChosen) {
      this.unlessChosen = unlessChosen;
    }

    String profile() {
      return chosen != null ? chosen : unlessChosen;
    }

    SoakBench.Options options(
        int studies, int inFlight, double rate, double warmup, ServiceJvmOptions jvm, Path out) {
      return new SoakBench.Options(
          studies,
          profile(),
          sizeScale(),
          sliceSize(),
          inFlight,
          rate,
          warmup,
          jvm.jvmArguments(),
          ServiceProcess.currentClasspath(),
          out,
          jvm.timeout());
    }

    double sizeScale() {
      if (sizeScale != null) {
        return sizeScale;
      }
      return SoakBench.QUICK.equals(profile()) ? 0.5 : 1.0;
    }

    int sliceSize() {
      if (sliceSize != null) {
        return sliceSize;
      }
      return SoakBench.QUICK.equals(profile()) ? 64 : UNetConfig.profile(profile()).inputWidth();
    }
  }

  @Command(
      name = "latency",
      description =
          "Whole-study latency, upload to last mask, one study at a time through ingest,"
              + " preprocess and inference (each its own JVM) on SPIDER-sized phantoms and the"
              + " default model's architecture: p50 and p99 after warm-up.")
  static final class Latency extends BenchSubcommand {
    @Option(
        names = "--studies",
        defaultValue = "40",
        description = "Phantom studies (default: ${DEFAULT-VALUE}).")
    int studies;

    @Mixin SoakProfile soakProfile = new SoakProfile("cpu");

    @Mixin ServiceJvmOptions jvm = new ServiceJvmOptions();

    @Option(
        names = "--out",
        paramLabel = "DIR",
        defaultValue = ".spineflow/latency",
        description =
            "Where the CSV files, the PNG and the services' logs go (default: ${DEFAULT-VALUE}).")
    Path outDir;

    @Override
    BenchOutcome measure(PrintWriter out) throws Exception {
      // One study in flight: each study's latency is its own, not time queued behind others.
      SoakBench.Options options = soakProfile.options(studies, 1, 0, 0.1, jvm, outDir);
      SoakBench.Report report = SoakBench.run(options, out);
      List<Double> upload = report.uploadLatencyMillis();
      out.printf(
          Locale.ROOT,
          "%d studies after warm-up, %.1f slices each on average; upload -> last mask p50 %.0f ms,"
              + " p99 %.0f ms, max %.0f ms%n",
          upload.size(),
          (double) report.slicesEmitted() / Math.max(1, report.studiesComplete()),
          Percentiles.of(upload, 50),
          Percentiles.of(upload, 99),
          Percentiles.of(upload, 100));
      return BenchOutcome.of("latency_p99_ms", Percentiles.of(upload, 99), 0)
          .withBefore("latency_p50_ms", Percentiles.of(upload, 50), 0)
          .requiring(report.allMasked() && report.lagReturnedToZero() && !upload.isEmpty());
    }
  }

  @Command(
      name = "backlog",
      description =
          "Inference started on a backlog (default 50,000 slices written while it has no model),"
              + " in its own JVM: RSS at the end of catching up ÷ RSS early in it (target <="
              + " 1.10), held slices at most, catch-up time, every slice one mask, lag 0 after."
              + " Writes backlog.csv.")
  static final class Backlog extends BenchSubcommand {
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

    @Mixin ServiceJvmOptions jvm = new ServiceJvmOptions();

    @Option(
        names = "--out",
        paramLabel = "DIR",
        defaultValue = ".spineflow/backlog",
        description = "Where backlog.csv and inference.log go (default: ${DEFAULT-VALUE}).")
    Path outDir;

    @Override
    BenchOutcome measure(PrintWriter out) throws Exception {
      BacklogBench.Report r =
          BacklogBench.run(
              new BacklogBench.Options(
                  slices,
                  sliceSize,
                  maxBatch,
                  jvm.jvmArguments(),
                  ServiceProcess.currentClasspath(),
                  outDir,
                  jvm.timeout()),
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
      return BenchOutcome.of("backlog_rss_growth", r.rssGrowth(), 3)
          .withBefore("backlog_catch_up_seconds", r.catchUpSeconds(), 1)
          .withBefore("backlog_held_max", r.heldMax(), 0)
          .requiring(r.exactlyOnce() && r.lagZero() && r.heldMax() <= r.bound());
    }
  }

  @Command(
      name = "scale",
      description =
          "Inference throughput with two instances (each its own JVM, one PyTorch thread) ÷ one"
              + " instance (one thread), side by side in one run. Reported, no threshold.")
  static final class Scale extends BenchSubcommand {
    @Mixin ModelProfile model = new ModelProfile();

    @Option(
        names = "--slices",
        defaultValue = "240",
        description = "Slices per round and side (default: ${DEFAULT-VALUE}).")
    int slices;

    @Option(
        names = "--rounds",
        defaultValue = "3",
        description =
            "Measured rounds, each one side then the other, after one warm-up round (default:"
                + " ${DEFAULT-VALUE}).")
    int rounds;

    @Mixin ServiceJvmOptions jvm = new ServiceJvmOptions();

    @Option(
        names = "--out",
        paramLabel = "DIR",
        defaultValue = ".spineflow/scale",
        description = "Where the instances' logs go (default: ${DEFAULT-VALUE}).")
    Path outDir;

    @Override
    BenchOutcome measure(PrintWriter out) throws Exception {
      ScaleBench.Report r =
          ScaleBench.run(
              new ScaleBench.Options(
                  model.config(),
                  slices,
                  rounds,
                  1,
                  8,
                  jvm.jvmArguments(),
                  ServiceProcess.currentClasspath(),
                  outDir,
                  jvm.timeout()),
              out);
      out.printf(
          Locale.ROOT,
          "one instance %.1f slices/s, two instances %.1f slices/s (medians over rounds); ratio"
              + " %.3f (median of per-round ratios, spread %.3f)%n",
          r.oneRate(),
          r.twoRate(),
          r.ratio(),
          r.spread());
      BenchOutcome outcome =
          BenchOutcome.of("scale", r.ratio(), 3)
              .withBefore("scale_two_slices_per_s", r.twoRate(), 1)
              .withBefore("scale_one_slices_per_s", r.oneRate(), 1);
      if (rounds > 1) {
        outcome = outcome.withBefore("scale_rounds_spread", r.spread(), 3);
      }
      return outcome.requiring(r.duplicates() == 0);
    }
  }

  @Command(
      name = "realmri",
      description =
          "Out-of-fold disc Dice on the shared real set (target >= 0.90), with vertebral-body"
              + " recall and vertebra/body area beside it: cross-validated by study, a model per"
              + " fold trained with train's recipe, mean ± SD over folds and seeds. Tens of"
              + " minutes.")
  static final class RealMri extends BenchSubcommand {
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
    BenchOutcome measure(PrintWriter out) throws Exception {
      if (seeds < 1) {
        throw new ConfigException("--seeds", "must be at least 1, got " + seeds);
      }
      List<LabelledStudyFile> studies = LabelledStudyFiles.require(data, "--data");
      CrossValidation.checkFolds(studies, folds);
      TrainingRecipe trainingRecipe = recipe.recipe();
      Path workDir = work != null ? work : Files.createTempDirectory("spineflow-realmri");
      err().println("fold models in " + workDir.toAbsolutePath());
      RealMriBench.Figures f =
          new RealMriBench(data, studies, trainingRecipe, folds, seeds)
              .run(workDir, commandLine(), out, err());
      return BenchOutcome.of("realmri_disc_dice", f.discDice().mean(), 4)
          .withBefore("realmri_body_area_ratio", f.areaRatio().mean(), 4)
          .withBefore("realmri_body_recall", f.bodyRecall().mean(), 4);
    }
  }

  @Command(
      name = "drift",
      description =
          "The dashboard's label-free drift rule replayed on the model's signals: quiet on real"
              + " studies in random orders (target: 0 splits fire), firing on shifted phantoms"
              + " (target: every split). Rule thresholds from the dashboard.drift.* settings.")
  public static final class Drift extends BenchSubcommand {
    /** The dashboard's drift settings, offered as options of this command. */
    public static final List<Setting> SETTINGS =
        DashboardSettings.all().stream()
            .filter(s -> s.name().startsWith("dashboard.drift."))
            .toList();

    @Option(
        names = "--data",
        paramLabel = "DIR",
        defaultValue = DEFAULT_REALMRI,
        description =
            "Real studies, as evaluate --data; only their images are read (default:"
                + " ${DEFAULT-VALUE}, from the working directory).")
    Path data;

    @Option(
        names = "--model",
        paramLabel = "DIR",
        description = "A stored model version (default: the shipped starter model).")
    Path model;

    @Option(
        names = "--phantoms",
        defaultValue = "24",
        description = "Phantom studies in each phantom set (default: ${DEFAULT-VALUE}).")
    int phantoms;

    @Option(
        names = "--splits",
        defaultValue = "5",
        description = "Random orders of the real studies (default: ${DEFAULT-VALUE}).")
    int splits;

    @Option(
        names = "--seed",
        defaultValue = "42",
        description = "Seed of the orders and the phantoms (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    BenchOutcome measure(PrintWriter out) throws Exception {
      List<LabelledStudyFile> studies = LabelledStudyFiles.require(data, "--data");
      Settings settings = SettingOptions.resolve(spec, SETTINGS);
      DriftRules rules =
          DashboardConfig.from(
                  settings.with(
                      DashboardSettings.OPERATOR_TOKEN.name(),
                      "drift-bench-reads-only-the-drift-rules"))
              .drift();
      DjlEngine.ensureStarted();
      Path modelDir =
          model != null
              ? model
              : StarterModel.extractTo(
                  Files.createTempDirectory("spineflow-drift").resolve("starter"));
      DriftBench.Figures f =
          DriftBench.run(
              new DriftBench.Plan(
                  modelDir,
                  model != null ? model.toString() : "the starter model",
                  studies,
                  phantoms,
                  splits,
                  seed,
                  rules),
              out);
      return BenchOutcome.of("drift_real_alarm_splits", f.realAlarmSplits(), 0)
          .withBefore("drift_shifted_fired_splits", f.shiftedFiredSplits(), 0)
          .withBefore("drift_splits", f.splits(), 0);
    }
  }
}
