package io.spineflow.model.training;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDManager;
import io.spineflow.model.Devices;
import io.spineflow.model.LabelledSlice;
import io.spineflow.model.ModelRejectedException;
import io.spineflow.model.ModelStore;
import io.spineflow.model.SegmentationModel;
import io.spineflow.model.SegmentationTrainer;
import io.spineflow.model.StoredModel;
import io.spineflow.model.TrainingStepResult;
import io.spineflow.model.UNetConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training loop, as a pure function of its inputs (no Kafka, no service): shared by the trainer
 * service and offline training. Epochs of seeded shuffled mini-batches through {@link
 * SegmentationTrainer#step} (each training slice through {@link TrainingOptions#augmentation()} as
 * it is drawn), a validation pass after every epoch ({@link Validation}), checkpointing of the best
 * epoch by validation mean IoU and early stopping when it stops improving (Ahmed et al.), progress
 * to a {@link ProgressListener}.
 *
 * <pre>{@code
 * TrainingResult r = TrainingRun.run(train, validation,
 *     TrainingOptions.builder(UNetConfig.profile("cpu")).optTargetDice(0.90).build(),
 *     null, ProgressListener.NONE);
 * try (SegmentationModel best = r.loadBest(Device.cpu())) { ... }
 * }</pre>
 *
 * <p>Checkpoints: under {@code checkpointDir/run-<runId>/}, {@code best/v<epoch>} holds the best
 * epoch's weights and {@code last/v<epoch>} the last completed epoch's, with the loop's state
 * (epoch, steps, early-stopping counters) in its metadata: {@link TrainingOptions#resume()}
 * continues from there. A resumed run draws the same shuffles and augmentations as an uninterrupted
 * one (both are seeded per epoch); Adam's moments start fresh and {@link TrainingResult#history()}
 * holds only the epochs run since the resume, while {@link TrainingResult#duration()} adds the
 * training time of the runs before it (kept in the checkpoint), so a model card tells the whole
 * run's time.
 *
 * <p>Memory stays flat: each batch lives in a sub-manager freed after its step (inside {@link
 * SegmentationTrainer}), slices are loaded from the {@link TrainingSet} batch by batch, and the
 * best weights go to disk, not to the heap. Reproducible: the same seed, data and options give the
 * same weights on the same machine and thread count.
 */
public final class TrainingRun {

  private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);
  static final String BEST = "best";
  static final String LAST = "last";
  private static final String STATE = "loopState";

  /** Dropped steps in a row after which a run fails instead of going on. */
  static final int MAX_CONSECUTIVE_SKIPS = 10;

  private final TrainingSet train;
  private final TrainingSet validation;
  private final TrainingOptions options;
  private final ProgressListener listener;
  private final String runId;
  private final ModelStore checkpoints;
  private final int stepsPerEpoch;
  private final long totalSteps;
  private final long started = System.nanoTime();
  // Training time of the runs this one resumed, from the last checkpoint's state.
  private long earlierMillis;
  private final List<ProgressListener.Evaluation> history = new ArrayList<>();
  private ValidationScores best;
  private StoredModel bestCheckpoint;
  private StoredModel lastCheckpoint;
  private int bestEpoch;
  private double bestMeanIou = Double.NEGATIVE_INFINITY;
  private int epochsWithoutImprovement;
  private long steps;
  private long sessionSteps;
  private long skippedSteps;
  private int consecutiveSkips;
  private double stepMillisSum;
  private double lastEvaluationMillis;
  private int epoch;
  private TrainingResult.StopReason stop; // null while running

  private TrainingRun(
      TrainingSet train,
      TrainingSet validation,
      TrainingOptions options,
      ProgressListener listener) {
    this.train = train;
    this.validation = validation;
    this.options = options;
    this.listener = listener;
    this.runId = options.runId() != null ? options.runId() : newRunId();
    this.checkpoints =
        new ModelStore(
            checkpointRoot(options).resolve("run-" + runId.replaceAll("[^A-Za-z0-9._-]", "_")));
    this.stepsPerEpoch = (train.size() + options.batchSize() - 1) / options.batchSize();
    long total = (long) stepsPerEpoch * options.maxEpochs();
    this.totalSteps = options.maxSteps() > 0 ? Math.min(total, options.maxSteps()) : total;
  }

  /**
   * Trains a model.
   *
   * @param train the training slices; at least one; complete or partial labels (partial ones need a
   *     partial-label loss, as {@code focal-dice} is)
   * @param validation the validation slices; at least one, from other studies than {@code train}
   * @param options what and how to train
   * @param initial weights to start from (fine-tuning, e.g. the live model), or {@code null} for a
   *     fresh initialisation; must have {@code options.architecture()}; may be closed afterwards;
   *     ignored when the run resumes from a checkpoint
   * @param listener progress; {@link ProgressListener#NONE} for none
   * @return the best epoch's checkpoint and scores
   * @throws TrainingFailedException if the loss or gradients are NaN or infinite in {@value
   *     #MAX_CONSECUTIVE_SKIPS} steps in a row (a single such step is dropped and the run goes on),
   *     or a resume checkpoint cannot be read
   * @throws IllegalArgumentException for empty sets, slices of another size than the model's, or
   *     partial labels with a loss that reads complete labels only
   */
  public static TrainingResult run(
      TrainingSet train,
      TrainingSet validation,
      TrainingOptions options,
      SegmentationModel initial,
      ProgressListener listener) {
    if (train.isEmpty()) {
      throw new IllegalArgumentException("empty training set");
    }
    if (validation.isEmpty()) {
      throw new IllegalArgumentException("empty validation set");
    }
    return new TrainingRun(train, validation, options, listener).run(initial);
  }

  private TrainingResult run(SegmentationModel initial) {
    UNetConfig config = options.architecture();
    SegmentationTrainer.Builder builder =
        SegmentationTrainer.builder()
            .setConfig(config)
            .optLoss(options.lossFunction())
            .optLearningRate(options.learningRate())
            .optSeed(options.seed())
            .optDevice(Devices.parse(options.device()));
    SegmentationModel resumed = options.resume() ? restore() : null;
    SegmentationModel start = resumed != null ? resumed : initial;
    if (start != null) {
      builder.optInitialWeights(start);
    }
    SegmentationTrainer trainer;
    try {
      trainer = builder.build();
    } finally {
      if (resumed != null) {
        resumed.close();
      }
    }
    try (trainer) {
      logStart(initial, resumed != null);
      listener.onStart(
          new ProgressListener.Start(
              runId,
              train.size(),
              validation.size(),
              stepsPerEpoch,
              options.maxEpochs(),
              totalSteps));
      while (stop == null && epoch < options.maxEpochs()) {
        epoch++;
        double[] lossSumAndSteps = trainEpoch(trainer);
        if (stop == TrainingResult.StopReason.CANCELLED) {
          break;
        }
        evaluate(trainer, lossSumAndSteps);
      }
    }
    return result();
  }

  /** One pass over the shuffled training set; returns {sum of losses, steps}. */
  private double[] trainEpoch(SegmentationTrainer trainer) {
    List<Integer> order = new ArrayList<>(train.size());
    for (int i = 0; i < train.size(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(options.seed() * 1_000_003L + epoch));
    Random augmentation = new Random(options.seed() * 7_919L + epoch * 104_729L);
    int batchSize = options.batchSize();
    double lossSum = 0;
    int epochSteps = 0;
    for (int from = 0; from < order.size(); from += batchSize) {
      List<LabelledSlice> batch = new ArrayList<>(batchSize);
      for (int k = from; k < Math.min(order.size(), from + batchSize); k++) {
        batch.add(options.augmentation().augment(train.load(order.get(k)), augmentation));
      }
      TrainingStepResult r = trainer.step(batch);
      if (!r.applied()) {
        skipped(r);
        continue;
      }
      consecutiveSkips = 0;
      steps++;
      sessionSteps++;
      epochSteps++;
      lossSum += r.loss();
      stepMillisSum += r.duration().toNanos() / 1e6;
      listener.onStep(
          new ProgressListener.Step(
              runId,
              epoch,
              options.maxEpochs(),
              epochSteps,
              stepsPerEpoch,
              steps,
              totalSteps,
              r.loss(),
              meanStepMillis(),
              elapsed(),
              eta()));
      if (options.maxSteps() > 0 && steps >= options.maxSteps()) {
        stop = TrainingResult.StopReason.MAX_STEPS;
      } else if (overBudget()) {
        stop = TrainingResult.StopReason.TIME_BUDGET;
      } else if (listener.shouldStop()) {
        stop = TrainingResult.StopReason.CANCELLED;
      }
      if (stop != null) {
        break;
      }
    }
    return new double[] {lossSum, epochSteps};
  }

  /**
   * A step the trainer dropped (NaN or infinite loss or gradient; the model is unchanged): logged
   * and counted; a run of {@link #MAX_CONSECUTIVE_SKIPS} in a row means the run itself has gone
   * wrong (e.g. a learning rate far too high) and stops it.
   */
  private void skipped(TrainingStepResult r) {
    skippedSteps++;
    consecutiveSkips++;
    LOG.warn(
        "run {}: epoch {}, step {}: loss {}; a non-finite loss or gradient, the update was dropped"
            + " ({} dropped so far)",
        runId,
        epoch,
        steps + 1,
        r.loss(),
        skippedSteps);
    if (consecutiveSkips >= MAX_CONSECUTIVE_SKIPS) {
      throw new TrainingFailedException(
          "loss or gradients non-finite in "
              + consecutiveSkips
              + " steps in a row (last loss "
              + r.loss()
              + ") at epoch "
              + epoch
              + ", step "
              + (steps + 1)
              + " (learning rate "
              + options.learningRate()
              + " too high?)");
    }
  }

  /** Validation after an epoch: checkpoints, progress, and the stopping rules. */
  private void evaluate(SegmentationTrainer trainer, double[] lossSumAndSteps) {
    long evaluationStart = System.nanoTime();
    ValidationScores scores =
        Validation.evaluate(trainer::predict, validation, Math.max(options.batchSize(), 8));
    lastEvaluationMillis = (System.nanoTime() - evaluationStart) / 1e6;
    double miou = scores.meanIou();
    boolean improved = !Double.isNaN(miou) && miou > bestMeanIou + options.minImprovement();
    if (improved) {
      StoredModel saved = save(trainer, BEST, scores.toMetrics());
      if (bestCheckpoint != null) {
        TrainingResult.deleteRecursively(bestCheckpoint.directory());
      }
      bestCheckpoint = saved;
      best = scores;
      bestEpoch = epoch;
      bestMeanIou = miou;
      epochsWithoutImprovement = 0;
    } else {
      epochsWithoutImprovement++;
    }
    saveLast(trainer, scores);
    ProgressListener.Evaluation evaluation =
        new ProgressListener.Evaluation(
            runId,
            epoch,
            options.maxEpochs(),
            steps,
            totalSteps,
            lossSumAndSteps[1] == 0 ? Double.NaN : lossSumAndSteps[0] / lossSumAndSteps[1],
            scores,
            improved,
            bestEpoch,
            bestMeanIou,
            elapsed(),
            eta(),
            nativeArrays(trainer.model().getNDManager()),
            ProcessMemory.rssBytes());
    history.add(evaluation);
    listener.onEvaluation(evaluation);
    if (stop != null) {
      return; // MAX_STEPS or TIME_BUDGET, after this last evaluation
    }
    if (!Double.isNaN(options.targetDice()) && scores.minForegroundDice() >= options.targetDice()) {
      stop = TrainingResult.StopReason.TARGET_REACHED;
    } else if (epochsWithoutImprovement >= options.patience()) {
      stop = TrainingResult.StopReason.EARLY_STOPPED;
    } else if (listener.shouldStop()) {
      stop = TrainingResult.StopReason.CANCELLED;
    } else if (overBudget()) {
      stop = TrainingResult.StopReason.TIME_BUDGET;
    }
  }

  private TrainingResult result() {
    if (stop == null) {
      stop = TrainingResult.StopReason.MAX_EPOCHS;
    }
    Duration took = elapsed();
    LOG.info(
        "run {} stopped ({}) after {} epochs, {} steps ({} dropped as non-finite) in {} s ({}"
            + " ms/step); best epoch {}: {}",
        runId,
        stop,
        epoch,
        steps,
        skippedSteps,
        took.toSeconds(),
        Math.round(meanStepMillis()),
        bestEpoch,
        best == null ? "none" : best.summary());
    return new TrainingResult(
        runId,
        stop,
        epoch,
        steps,
        skippedSteps,
        bestEpoch,
        Optional.ofNullable(best),
        Optional.ofNullable(bestCheckpoint),
        history,
        took.plusMillis(earlierMillis),
        meanStepMillis(),
        train.studyUids(),
        validation.studyUids(),
        train.size());
  }

  /** The last epoch's weights and the loop's state, replacing the previous epoch's. */
  private void saveLast(SegmentationTrainer trainer, ValidationScores scores) {
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("epoch", epoch);
    state.put("steps", steps);
    state.put("bestEpoch", bestEpoch);
    state.put("bestMeanIou", bestMeanIou);
    state.put("epochsWithoutImprovement", epochsWithoutImprovement);
    state.put("trainedMillis", earlierMillis + elapsed().toMillis());
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put(STATE, state);
    StoredModel saved = save(trainer, LAST, scores.toMetrics(), metadata);
    if (lastCheckpoint != null) {
      TrainingResult.deleteRecursively(lastCheckpoint.directory());
    }
    lastCheckpoint = saved;
  }

  private StoredModel save(SegmentationTrainer trainer, String name, Map<String, Double> metrics) {
    return save(trainer, name, metrics, Map.of());
  }

  private StoredModel save(
      SegmentationTrainer trainer,
      String name,
      Map<String, Double> metrics,
      Map<String, Object> extra) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("epoch", epoch);
    metadata.put("validationMetrics", metrics);
    metadata.putAll(extra);
    try {
      return trainer.saveTo(checkpoints, name, epoch, metadata);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot checkpoint epoch " + epoch, e);
    }
  }

  /**
   * Reads the run's last checkpoint, if any, into this loop's state, and loads its weights.
   *
   * @return the last epoch's weights, or null when the run has no checkpoint yet
   */
  private SegmentationModel restore() {
    if (checkpoints.latestVersion(LAST).isEmpty()) {
      LOG.info("run {}: no checkpoint in {} to resume from; starting", runId, checkpoints.root());
      return null;
    }
    int lastEpoch = checkpoints.latestVersion(LAST).getAsInt();
    try {
      Map<String, Object> metadata = checkpoints.metadata(LAST, lastEpoch);
      if (!(metadata.get(STATE) instanceof Map<?, ?> state)) {
        throw new TrainingFailedException(
            "checkpoint " + LAST + " v" + lastEpoch + " has no state");
      }
      epoch = ((Number) state.get("epoch")).intValue();
      steps = ((Number) state.get("steps")).longValue();
      bestEpoch = ((Number) state.get("bestEpoch")).intValue();
      bestMeanIou = ((Number) state.get("bestMeanIou")).doubleValue();
      epochsWithoutImprovement = ((Number) state.get("epochsWithoutImprovement")).intValue();
      // Absent from checkpoints written before it was recorded: their time is unknown, not zero,
      // but counting it as zero keeps them resumable.
      earlierMillis =
          state.get("trainedMillis") instanceof Number n ? Math.max(0, n.longValue()) : 0L;
      lastCheckpoint = ModelStore.inspect(checkpoints.directory(LAST, lastEpoch));
      if (bestEpoch > 0) {
        bestCheckpoint = ModelStore.inspect(checkpoints.directory(BEST, bestEpoch));
        best = ValidationScores.fromMetrics(metricsOf(checkpoints.metadata(BEST, bestEpoch)), 0);
      }
      LOG.info("run {}: resuming after epoch {} (step {})", runId, epoch, steps);
      return ModelStore.load(
          lastCheckpoint.directory(),
          lastCheckpoint.sha256(),
          options.architecture(),
          Devices.parse(options.device()));
    } catch (IOException | ModelRejectedException | RuntimeException e) {
      throw new TrainingFailedException(
          "cannot resume run " + runId + " from " + checkpoints.root() + ": " + e.getMessage(), e);
    }
  }

  private static Map<String, Double> metricsOf(Map<String, Object> metadata) {
    Map<String, Double> out = new LinkedHashMap<>();
    if (metadata.get("validationMetrics") instanceof Map<?, ?> m) {
      m.forEach(
          (k, v) -> {
            if (v instanceof Number n) {
              out.put(String.valueOf(k), n.doubleValue());
            }
          });
    }
    return out;
  }

  private void logStart(SegmentationModel initial, boolean resumed) {
    LOG.info(
        "run {}: {} training slices ({} studies), {} validation slices ({} studies); {} x {}"
            + " steps of {}, {} lr {}, seed {}{}",
        runId,
        train.size(),
        train.studyUids().size(),
        validation.size(),
        validation.studyUids().size(),
        options.maxEpochs(),
        stepsPerEpoch,
        options.batchSize(),
        options.loss(),
        options.learningRate(),
        options.seed(),
        resumed
            ? ", resumed after epoch " + epoch
            : initial != null ? ", fine-tuning " + initial.describe() : "");
  }

  private double meanStepMillis() {
    return sessionSteps == 0 ? 0 : stepMillisSum / sessionSteps;
  }

  private Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - started);
  }

  private boolean overBudget() {
    return options.timeBudget() != null
        && System.nanoTime() - started >= options.timeBudget().toNanos();
  }

  private Duration eta() {
    double millis =
        Math.max(0, totalSteps - steps) * meanStepMillis()
            + Math.max(0, options.maxEpochs() - epoch + 1) * lastEvaluationMillis;
    return Duration.ofMillis(Math.round(millis));
  }

  private static Path checkpointRoot(TrainingOptions options) {
    if (options.checkpointDir() != null) {
      return options.checkpointDir();
    }
    try {
      Path dir = Files.createTempDirectory("spineflow-checkpoints-");
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a checkpoint directory", e);
    }
  }

  private static long nativeArrays(NDManager manager) {
    return manager instanceof BaseNDManager base ? base.getManagedArrays().size() : 0;
  }

  private static String newRunId() {
    return UUID.randomUUID().toString().substring(0, 8);
  }
}
