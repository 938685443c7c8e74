package io.spineflow.trainer;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDManager;
import io.spineflow.model.Devices;
import io.spineflow.model.LabelledSlice;
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
 * The training loop, as a pure function of its inputs (no Kafka, no service): epochs of seeded
 * shuffled mini-batches through {@link SegmentationTrainer#step}, a validation pass after every
 * epoch ({@link Validation}), checkpointing of the best epoch by validation mean IoU and early
 * stopping when it stops improving (Ahmed et al.), progress to a {@link ProgressListener}.
 *
 * <pre>{@code
 * TrainingResult r = TrainingRun.run(train, validation,
 *     TrainingOptions.builder(UNetConfig.profile("cpu")).optTargetDice(0.90).build(),
 *     null, ProgressListener.NONE);
 * try (SegmentationModel best = r.loadBest(Device.cpu())) { ... }
 * }</pre>
 *
 * <p>Memory stays flat: each batch lives in a sub-manager freed after its step (inside {@link
 * SegmentationTrainer}), slices are loaded from the {@link TrainingSet} batch by batch, and the
 * best weights go to disk, not to the heap. Reproducible: the same seed, data and options give the
 * same weights on the same machine and thread count.
 */
public final class TrainingRun {

  private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);

  private TrainingRun() {}

  /**
   * Trains a model.
   *
   * @param train the training slices; at least one
   * @param validation the validation slices; at least one, from other studies than {@code train}
   * @param options what and how to train
   * @param initial weights to start from (fine-tuning, e.g. the live model), or {@code null} for a
   *     fresh initialisation; must have {@code options.architecture()}; may be closed afterwards
   * @param listener progress; {@link ProgressListener#NONE} for none
   * @return the best epoch's checkpoint and scores
   * @throws TrainingFailedException if the loss becomes NaN or infinite
   * @throws IllegalArgumentException for empty sets or slices of another size than the model's
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
    UNetConfig config = options.architecture();
    String runId = options.runId() != null ? options.runId() : newRunId();
    int batchSize = options.batchSize();
    int stepsPerEpoch = (train.size() + batchSize - 1) / batchSize;
    long totalSteps = (long) stepsPerEpoch * options.maxEpochs();
    if (options.maxSteps() > 0) {
      totalSteps = Math.min(totalSteps, options.maxSteps());
    }
    ModelStore checkpoints = new ModelStore(checkpointRoot(options));
    String checkpointName = "run-" + runId.replaceAll("[^A-Za-z0-9._-]", "_");

    SegmentationTrainer.Builder builder =
        SegmentationTrainer.builder()
            .setConfig(config)
            .optLoss(options.lossFunction())
            .optLearningRate(options.learningRate())
            .optSeed(options.seed())
            .optDevice(Devices.parse(options.device()));
    if (initial != null) {
      builder.optInitialWeights(initial);
    }
    long started = System.nanoTime();
    List<ProgressListener.Evaluation> history = new ArrayList<>();
    ValidationScores best = null;
    StoredModel bestCheckpoint = null;
    int bestEpoch = 0;
    double bestMeanIou = Double.NEGATIVE_INFINITY;
    int epochsWithoutImprovement = 0;
    long steps = 0;
    double stepMillisSum = 0;
    double lastEvaluationMillis = 0;
    int epoch = 0;
    TrainingResult.StopReason stop = null; // still running
    try (SegmentationTrainer trainer = builder.build()) {
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
          batchSize,
          options.loss(),
          options.learningRate(),
          options.seed(),
          initial != null ? ", fine-tuning " + initial.describe() : "");
      listener.onStart(
          new ProgressListener.Start(
              runId,
              train.size(),
              validation.size(),
              stepsPerEpoch,
              options.maxEpochs(),
              totalSteps));
      List<Integer> order = new ArrayList<>(train.size());
      for (int i = 0; i < train.size(); i++) {
        order.add(i);
      }
      while (epoch < options.maxEpochs()) {
        epoch++;
        Collections.shuffle(order, new Random(options.seed() * 1_000_003L + epoch));
        double lossSum = 0;
        int epochSteps = 0;
        for (int from = 0; from < order.size(); from += batchSize) {
          List<LabelledSlice> batch = new ArrayList<>(batchSize);
          for (int k = from; k < Math.min(order.size(), from + batchSize); k++) {
            batch.add(train.load(order.get(k)));
          }
          TrainingStepResult r = trainer.step(batch);
          if (!r.isFinite()) {
            throw new TrainingFailedException(
                "loss became "
                    + r.loss()
                    + " at epoch "
                    + epoch
                    + ", step "
                    + (steps + 1)
                    + " (learning rate "
                    + options.learningRate()
                    + " too high?)");
          }
          steps++;
          epochSteps++;
          lossSum += r.loss();
          stepMillisSum += r.duration().toNanos() / 1e6;
          double meanStep = stepMillisSum / steps;
          Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
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
                  meanStep,
                  elapsed,
                  eta(totalSteps - steps, meanStep, options, epoch, lastEvaluationMillis)));
          if (options.maxSteps() > 0 && steps >= options.maxSteps()) {
            stop = TrainingResult.StopReason.MAX_STEPS;
            break;
          }
          if (overBudget(options, started)) {
            stop = TrainingResult.StopReason.TIME_BUDGET;
            break;
          }
          if (listener.shouldStop()) {
            stop = TrainingResult.StopReason.CANCELLED;
            break;
          }
        }
        if (stop == TrainingResult.StopReason.CANCELLED) {
          break;
        }
        long evaluationStart = System.nanoTime();
        ValidationScores scores =
            Validation.evaluate(trainer::predict, validation, Math.max(batchSize, 8));
        lastEvaluationMillis = (System.nanoTime() - evaluationStart) / 1e6;
        double miou = scores.meanIou();
        boolean improved = !Double.isNaN(miou) && miou > bestMeanIou + options.minImprovement();
        if (improved) {
          StoredModel saved = checkpoint(trainer, checkpoints, checkpointName, epoch, scores);
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
        double meanStep = stepMillisSum / steps;
        ProgressListener.Evaluation evaluation =
            new ProgressListener.Evaluation(
                runId,
                epoch,
                options.maxEpochs(),
                steps,
                totalSteps,
                epochSteps == 0 ? Double.NaN : lossSum / epochSteps,
                scores,
                improved,
                bestEpoch,
                bestMeanIou,
                Duration.ofNanos(System.nanoTime() - started),
                eta(totalSteps - steps, meanStep, options, epoch, lastEvaluationMillis),
                nativeArrays(trainer.model().getNDManager()),
                ProcessMemory.rssBytes());
        history.add(evaluation);
        listener.onEvaluation(evaluation);
        if (stop != null) {
          break; // MAX_STEPS or TIME_BUDGET, after this last evaluation
        }
        if (!Double.isNaN(options.targetDice())
            && scores.minForegroundDice() >= options.targetDice()) {
          stop = TrainingResult.StopReason.TARGET_REACHED;
          break;
        }
        if (epochsWithoutImprovement >= options.patience()) {
          stop = TrainingResult.StopReason.EARLY_STOPPED;
          break;
        }
        if (listener.shouldStop()) {
          stop = TrainingResult.StopReason.CANCELLED;
          break;
        }
        if (overBudget(options, started)) {
          stop = TrainingResult.StopReason.TIME_BUDGET;
          break;
        }
      }
    }
    if (stop == null) {
      stop = TrainingResult.StopReason.MAX_EPOCHS;
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    LOG.info(
        "run {} stopped ({}) after {} epochs, {} steps in {} s ({} ms/step); best epoch {}: {}",
        runId,
        stop,
        epoch,
        steps,
        took.toSeconds(),
        steps == 0 ? 0 : Math.round(stepMillisSum / steps),
        bestEpoch,
        best == null ? "none" : best.summary());
    return new TrainingResult(
        runId,
        stop,
        epoch,
        steps,
        bestEpoch,
        Optional.ofNullable(best),
        Optional.ofNullable(bestCheckpoint),
        history,
        took,
        steps == 0 ? 0 : stepMillisSum / steps,
        train.studyUids(),
        validation.studyUids(),
        train.size());
  }

  private static StoredModel checkpoint(
      SegmentationTrainer trainer,
      ModelStore store,
      String name,
      int epoch,
      ValidationScores scores) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("epoch", epoch);
    metadata.put("validationMetrics", scores.toMetrics());
    try {
      return trainer.saveTo(store, name, epoch, metadata);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot checkpoint epoch " + epoch, e);
    }
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

  private static boolean overBudget(TrainingOptions options, long started) {
    return options.timeBudget() != null
        && System.nanoTime() - started >= options.timeBudget().toNanos();
  }

  private static Duration eta(
      long remainingSteps,
      double meanStepMillis,
      TrainingOptions options,
      int epoch,
      double evaluationMillis) {
    double millis =
        Math.max(0, remainingSteps) * meanStepMillis
            + Math.max(0, options.maxEpochs() - epoch + 1) * evaluationMillis;
    return Duration.ofMillis(Math.round(millis));
  }

  private static long nativeArrays(NDManager manager) {
    return manager instanceof BaseNDManager base ? base.getManagedArrays().size() : 0;
  }

  private static String newRunId() {
    return UUID.randomUUID().toString().substring(0, 8);
  }
}
