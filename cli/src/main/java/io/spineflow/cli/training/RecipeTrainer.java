package io.spineflow.cli.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.spineflow.cli.ConsoleProgress;
import io.spineflow.cli.TrainingConsole;
import io.spineflow.cli.studies.LabelledStudyFile;
import io.spineflow.model.Devices;
import io.spineflow.model.ModelAnnouncements;
import io.spineflow.model.ModelRejectedException;
import io.spineflow.model.ModelStore;
import io.spineflow.model.SegmentationModel;
import io.spineflow.model.StoredModel;
import io.spineflow.model.training.TrainingOptions;
import io.spineflow.model.training.TrainingResult;
import io.spineflow.model.training.TrainingRun;
import io.spineflow.model.training.ValidationScores;
import io.spineflow.platform.ConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Runs a {@link TrainingRecipe} on labelled studies (+ its phantoms) and writes the best epoch as a
 * model directory (weights.params, architecture.json, metadata.json) whose metadata is the model
 * card: the recipe, every source folder with its sets, what they label and how many studies, the
 * split, the validation figures and why training stopped.
 *
 * <p>Checkpoints live in a directory of their own, with the recipe and sources beside them ({@value
 * #RUN_FILE}); {@code resume} continues the run there from its last epoch, and refuses if the
 * recipe or data differ.
 */
public final class RecipeTrainer {
  /** The run id of offline runs: one run per checkpoint directory. */
  public static final String RUN_ID = "train";

  /** What a checkpoint directory was made from, checked on resume. */
  public static final String RUN_FILE = "run.json";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final TrainingRecipe recipe;
  private final PrintWriter log;
  private final PrintWriter bars;
  private final List<String> cardNotes;

  /**
   * A trained model.
   *
   * @param model the written model directory
   * @param sha256 of its weights
   * @param result the run
   * @param data how the data was split
   */
  public record Trained(Path model, String sha256, TrainingResult result, TrainingData data) {
    /** The best epoch's validation scores. */
    public ValidationScores scores() {
      return result.best().orElseThrow();
    }
  }

  /**
   * @param recipe what to train and how
   * @param log summary and per-epoch lines
   * @param bars progress bars (loading, steps of each epoch)
   */
  public RecipeTrainer(TrainingRecipe recipe, PrintWriter log, PrintWriter bars) {
    this(recipe, log, bars, List.of());
  }

  /**
   * @param cardNotes free text for the model card (the data's terms, citations), kept out of the
   *     run's identity so that a resumed run may add them
   */
  public RecipeTrainer(
      TrainingRecipe recipe, PrintWriter log, PrintWriter bars, List<String> cardNotes) {
    this.recipe = recipe;
    this.log = log;
    this.bars = bars;
    this.cardNotes = List.copyOf(cardNotes);
  }

  /**
   * Trains and writes the model.
   *
   * @param sources the labelled studies (may be empty: phantoms only)
   * @param out the model directory to write; must not exist unless {@code resume}, when a model
   *     directory there is replaced
   * @param checkpoints the run's checkpoint directory, kept afterwards for {@code resume}
   * @param resume continue the run in {@code checkpoints}
   * @throws ConfigException naming {@code --resume} or {@code --data} when the run cannot start
   */
  public Trained train(List<TrainingSource> sources, Path out, Path checkpoints, boolean resume)
      throws IOException, ModelRejectedException {
    Map<String, Object> run = runIdentity(sources);
    prepare(checkpoints, run, resume);
    List<LabelledStudyFile> studies = sources.stream().flatMap(s -> s.studies().stream()).toList();
    TrainingOptions options = recipe.options(checkpoints, RUN_ID, resume);
    TrainingData data;
    try {
      data =
          TrainingData.load(
              studies,
              recipe.mix(),
              options.architecture(),
              ConsoleProgress.of(bars, "load", "studies", studies.size() + recipe.phantoms()));
    } catch (IllegalArgumentException duplicate) {
      throw new ConfigException("--data", duplicate.getMessage());
    }
    if (data.train().isEmpty() || data.validation().isEmpty()) {
      throw new ConfigException(
          "--data",
          "training needs at least two studies with kept slices (one to train on, one to"
              + " validate); have "
              + data.strata());
    }
    printSplit(data);
    TrainingResult result =
        TrainingRun.run(
            data.train(), data.validation(), options, null, TrainingConsole.withBars(log, bars));
    if (result.checkpoint().isEmpty()) {
      throw new IllegalStateException("the run scored no epoch; nothing to write");
    }
    Map<String, Object> training = new LinkedHashMap<>(run);
    training.put("split", data.strata());
    training.put("skipped", data.skipped());
    training.put("stopReason", result.stopReason().name());
    training.put("epochs", result.epochs());
    training.put("bestEpoch", result.bestEpoch());
    training.put("steps", result.steps());
    training.put("minutes", Math.round(result.duration().toSeconds() / 6.0) / 10.0);
    if (!cardNotes.isEmpty()) {
      training.put("notes", cardNotes);
    }
    StoredModel stored = write(result, training, out, resume);
    return new Trained(out, stored.sha256(), result, data);
  }

  /**
   * True when the model directory {@code model} was written by this recipe from exactly these
   * sources: its card's recipe and sources equal this run's, and its lineage names every study of
   * the sources (the card counts studies per set; the names tell two splits of equal size apart).
   * How an interrupted cross-validation knows a finished fold may be kept.
   */
  public boolean madeFrom(Path model, List<TrainingSource> sources) throws IOException {
    Path file = model.resolve("metadata.json");
    if (!Files.isRegularFile(file)) {
      return false;
    }
    JsonNode card = JSON.readTree(file.toFile());
    JsonNode training = card.path("training");
    JsonNode wanted = asTree(runIdentity(sources));
    if (!wanted.get("recipe").equals(training.get("recipe"))
        || !wanted.get("sources").equals(training.get("sources"))) {
      return false;
    }
    TreeSet<String> named = new TreeSet<>();
    for (String field : List.of("trainingStudies", "validationStudies")) {
      card.path("lineage").path(field).forEach(n -> named.add(n.asText()));
    }
    return sources.stream()
        .flatMap(s -> s.studies().stream())
        .allMatch(study -> named.contains(study.name()));
  }

  /**
   * What a run is made from: the recipe and the sources, as checkpoints and model cards hold it.
   */
  private Map<String, Object> runIdentity(List<TrainingSource> sources) {
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("recipe", recipe.describe());
    run.put("sources", describe(sources));
    return run;
  }

  // Through text, as the files were: a tree built from objects types 1000 as a long, a parsed one
  // as an int, and JsonNode equality tells them apart.
  private static JsonNode asTree(Map<String, Object> run) throws IOException {
    return JSON.readTree(JSON.writeValueAsString(run));
  }

  /** Checks and records what the checkpoint directory holds. */
  private static void prepare(Path checkpoints, Map<String, Object> run, boolean resume)
      throws IOException {
    Path file = checkpoints.resolve(RUN_FILE);
    JsonNode wanted = asTree(run);
    if (resume && Files.isRegularFile(file)) {
      JsonNode had = JSON.readTree(file.toFile());
      if (!had.equals(wanted)) {
        throw new ConfigException(
            "--resume",
            "the run in "
                + checkpoints
                + " was started with another recipe or data ("
                + file
                + "); give the same options, or start a new run");
      }
    } else if (!resume && Files.exists(checkpoints.resolve("run-" + RUN_ID))) {
      throw new ConfigException(
          "--resume",
          checkpoints + " holds a run; add --resume to continue it, or delete the directory");
    }
    Files.createDirectories(checkpoints);
    Files.writeString(file, JSON.writeValueAsString(wanted), StandardCharsets.UTF_8);
  }

  private StoredModel write(
      TrainingResult result, Map<String, Object> training, Path out, boolean resume)
      throws IOException, ModelRejectedException {
    ValidationScores scores = result.best().orElseThrow();
    Map<String, Object> metadata =
        ModelAnnouncements.metadata(
            scores.toMetrics(),
            ModelAnnouncements.lineage(
                result.trainStudies(), result.validationStudies(), Map.of(), null, recipe.seed()),
            training);
    Path staging = Files.createTempDirectory("spineflow-train-");
    StoredModel stored;
    try (SegmentationModel model = result.loadBest(Devices.best())) {
      stored = new ModelStore(staging).save("model", 1, model.djlModel(), model.config(), metadata);
    }
    if (resume && Files.exists(out)) {
      ModelStore.inspect(out); // replace only a model directory, never anything else
      TrainingResult.deleteRecursively(out);
    }
    Files.createDirectories(out);
    List<Path> files;
    try (Stream<Path> list = Files.list(stored.directory())) {
      files = list.toList();
    }
    for (Path f : files) {
      Files.move(f, out.resolve(f.getFileName()));
    }
    TrainingResult.deleteRecursively(staging);
    return stored;
  }

  private void printSplit(TrainingData data) {
    data.strata()
        .forEach(
            (stratum, c) ->
                log.printf(
                    Locale.ROOT,
                    "%-10s %3d studies (%d slices ×%d) training, %3d studies (%d slices)"
                        + " validation%n",
                    stratum,
                    c.trainStudies(),
                    c.trainSlices(),
                    c.repeats(),
                    c.validationStudies(),
                    c.validationSlices()));
    data.skipped().forEach(s -> log.println("skipped " + s));
    log.flush();
  }

  /**
   * Each source folder with its studies per set and what each set labels: {@code [{dir, studies,
   * sets: {IVD: {studies: 3, labelled: ["discs over labelled-span"]}}}]}.
   */
  static List<Map<String, Object>> describe(List<TrainingSource> sources) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (TrainingSource source : sources) {
      Map<String, Map<String, Object>> sets = new TreeMap<>();
      Map<String, TreeSet<String>> labelled = new TreeMap<>();
      for (LabelledStudyFile study : source.studies()) {
        Map<String, Object> set = sets.computeIfAbsent(study.set(), k -> new LinkedHashMap<>());
        set.merge("studies", 1, (a, b) -> (Integer) a + (Integer) b);
        labelled
            .computeIfAbsent(study.set(), k -> new TreeSet<>())
            .add(study.coverage().toString());
      }
      sets.forEach((name, set) -> set.put("labelled", List.copyOf(labelled.get(name))));
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("dir", source.dir().toAbsolutePath().normalize().toString());
      d.put("studies", source.studies().size());
      d.put("sets", sets);
      out.add(d);
    }
    return out;
  }
}
