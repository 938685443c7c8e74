package io.spineflow.cli;

import io.spineflow.model.Devices;
import io.spineflow.model.ModelAnnouncements;
import io.spineflow.model.ModelStore;
import io.spineflow.model.SegmentationModel;
import io.spineflow.model.StoredModel;
import io.spineflow.model.training.TrainingOptions;
import io.spineflow.model.training.TrainingResult;
import io.spineflow.model.training.TrainingRun;
import io.spineflow.model.training.Validation;
import io.spineflow.model.training.ValidationScores;
import io.spineflow.platform.ConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./spineflow train --out DIR}: trains a model offline, without Kafka, on labelled phantom
 * studies preprocessed as the pipeline does, and writes it as a model directory (weights, its
 * architecture and its validation metrics) that {@code demo --model DIR} serves at once. The demo's
 * starter model was made this way.
 */
@Command(
    name = "train",
    description =
        "Train a model offline on phantom studies and write it as a model directory (for demo"
            + " --model DIR).")
final class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "New directory.")
  Path out;

  @Option(
      names = "--phantoms",
      defaultValue = "30",
      description = "Labelled phantom studies (default: ${DEFAULT-VALUE}).")
  int phantoms;

  @Option(
      names = "--profile",
      defaultValue = "cpu",
      description = "Model and schedule profile: cpu or paper (default: ${DEFAULT-VALUE}).")
  String profile;

  @Option(
      names = "--target-dice",
      defaultValue = "0.90",
      description =
          "Stop once every class reaches this validation Dice (default: ${DEFAULT-VALUE}).")
  double targetDice;

  @Option(
      names = "--budget-minutes",
      defaultValue = "20",
      description = "Stop after this many minutes (default: ${DEFAULT-VALUE}).")
  int budgetMinutes;

  @Option(names = "--seed", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
  int seed;

  @Override
  public Integer call() throws Exception {
    PrintWriter console = spec.commandLine().getOut();
    if (Files.exists(out)) {
      throw new ConfigException("--out", out + " exists; give a new directory");
    }
    TrainingOptions options =
        TrainingOptions.profile(profile)
            .optTargetDice(targetDice)
            .optTimeBudget(Duration.ofMinutes(budgetMinutes))
            .optSeed(seed)
            .build();
    PhantomTrainingData data = PhantomTrainingData.generate(options.architecture(), phantoms, 1000);
    console.printf(
        Locale.ROOT,
        "%d phantom studies: %d training and %d validation slices; profile %s%n",
        phantoms,
        data.train().size(),
        data.validation().size(),
        profile);
    TrainingResult result =
        TrainingRun.run(
            data.train(), data.validation(), options, null, TrainingConsole.epochs(console));
    try (SegmentationModel model = result.loadBest(Devices.parse(options.device()))) {
      ValidationScores scores = Validation.evaluate(model, data.validation(), 8);
      Map<String, Object> training = new LinkedHashMap<>();
      training.put("source", "./spineflow train --phantoms " + phantoms + " --profile " + profile);
      training.put("stopReason", result.stopReason().name());
      training.put("epochs", result.epochs());
      training.put("steps", result.steps());
      Map<String, Object> metadata =
          ModelAnnouncements.metadata(
              scores.toMetrics(),
              ModelAnnouncements.lineage(
                  result.trainStudies(), result.validationStudies(), Map.of(), null, seed),
              training);
      Path staging = Files.createTempDirectory("spineflow-train-");
      StoredModel stored =
          new ModelStore(staging).save("model", 1, model.djlModel(), model.config(), metadata);
      moveContents(stored.directory(), out);
      console.printf(
          Locale.ROOT,
          "wrote %s (sha256 %s): validation %s%n",
          out,
          stored.sha256(),
          scores.summary());
    } finally {
      result.deleteCheckpoint();
    }
    return 0;
  }

  private static void moveContents(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    List<Path> files;
    try (Stream<Path> list = Files.list(from)) {
      files = list.toList();
    }
    for (Path file : files) {
      Files.move(file, to.resolve(file.getFileName()));
    }
  }
}
