package io.spineflow.model.training;

import ai.djl.Device;
import io.spineflow.model.ModelRejectedException;
import io.spineflow.model.ModelStore;
import io.spineflow.model.SegmentationModel;
import io.spineflow.model.StoredModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.stream.Stream;

/**
 * What a {@link TrainingRun} produced: the best epoch's weights (checkpointed on validation mIoU)
 * and scores, the history, why it stopped and how fast it went.
 *
 * @param runId the run
 * @param stopReason why the run ended
 * @param epochs epochs run (the last one possibly partial, for {@code MAX_STEPS} or {@code
 *     CANCELLED})
 * @param steps optimiser steps taken
 * @param skippedSteps steps dropped because their loss or a gradient was NaN or infinite
 * @param bestEpoch the epoch whose weights are in {@link #checkpoint()} (0 if none was scored)
 * @param best the validation scores of that epoch (empty if none was scored)
 * @param checkpoint the stored weights of that epoch (empty if none was scored)
 * @param history every epoch's evaluation, in order
 * @param duration from the first step to the end of the last evaluation, the runs it resumed
 *     included
 * @param meanStepMillis mean optimiser step time
 * @param trainStudies studies of the training set
 * @param validationStudies studies of the validation set
 * @param trainSlices slices of the training set
 */
public record TrainingResult(
    String runId,
    StopReason stopReason,
    int epochs,
    long steps,
    long skippedSteps,
    int bestEpoch,
    Optional<ValidationScores> best,
    Optional<StoredModel> checkpoint,
    List<ProgressListener.Evaluation> history,
    Duration duration,
    double meanStepMillis,
    SortedSet<String> trainStudies,
    SortedSet<String> validationStudies,
    int trainSlices) {

  /** Why a run ended. */
  public enum StopReason {
    /** Every epoch was run. */
    MAX_EPOCHS,
    /** The validation mIoU did not improve for {@code patience} epochs. */
    EARLY_STOPPED,
    /** Every foreground class reached {@code targetDice}. */
    TARGET_REACHED,
    /** {@code maxSteps} steps were taken. */
    MAX_STEPS,
    /** {@code timeBudget} ran out. */
    TIME_BUDGET,
    /** The listener asked to stop. */
    CANCELLED
  }

  /** Copies the collections. */
  public TrainingResult {
    history = List.copyOf(history);
    trainStudies =
        java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(trainStudies));
    validationStudies =
        java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(validationStudies));
  }

  /**
   * Training slices per second over the run's steps (steps × batch are not all full: approximate).
   */
  public double slicesPerSecond(int batchSize) {
    return meanStepMillis > 0 ? batchSize * 1000.0 / meanStepMillis : 0;
  }

  /**
   * Loads the best epoch's weights, verified (SHA-256, architecture), onto {@code device}.
   *
   * @throws IllegalStateException if the run scored no epoch
   */
  public SegmentationModel loadBest(Device device) throws ModelRejectedException {
    StoredModel stored =
        checkpoint.orElseThrow(
            () -> new IllegalStateException("run " + runId + " has no checkpoint"));
    return ModelStore.load(stored.directory(), stored.sha256(), stored.config(), device);
  }

  /**
   * Deletes this run's checkpoints from disk, best and last (after the candidate was promoted or
   * rejected): the whole {@code run-<runId>} directory.
   */
  public void deleteCheckpoint() {
    checkpoint.ifPresent(c -> deleteRecursively(c.directory().getParent().getParent()));
  }

  /**
   * Deletes {@code dir} and everything under it, if it exists (e.g. a crashed run's checkpoints).
   */
  public static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
