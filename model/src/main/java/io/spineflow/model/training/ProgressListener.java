package io.spineflow.model.training;

import java.time.Duration;

/**
 * Receives a {@link TrainingRun}'s progress on the training thread. Every method has a no-op
 * default; implementations should return quickly (they run between optimiser steps).
 */
public interface ProgressListener {

  /** A listener that ignores everything. */
  ProgressListener NONE = new ProgressListener() {};

  /**
   * The run is about to take its first step.
   *
   * @param runId the run
   * @param trainSlices slices in the training set
   * @param validationSlices slices in the validation set
   * @param stepsPerEpoch optimiser steps per epoch
   * @param maxEpochs epochs at most
   * @param totalSteps steps if no stopping rule fires first
   */
  record Start(
      String runId,
      int trainSlices,
      int validationSlices,
      int stepsPerEpoch,
      int maxEpochs,
      long totalSteps) {}

  /**
   * One optimiser step was taken.
   *
   * @param epoch from 1
   * @param stepInEpoch from 1
   * @param step steps of the run so far, this one included
   * @param loss this batch's loss
   * @param meanStepMillis mean duration of the steps so far
   * @param elapsed since the run started
   * @param eta estimated time to the last step and evaluation, if no stopping rule fires first
   */
  record Step(
      String runId,
      int epoch,
      int maxEpochs,
      int stepInEpoch,
      int stepsPerEpoch,
      long step,
      long totalSteps,
      float loss,
      double meanStepMillis,
      Duration elapsed,
      Duration eta) {}

  /**
   * An epoch ended and the model was scored on the validation set.
   *
   * @param meanLoss mean training loss of the epoch's steps
   * @param scores the validation scores after this epoch
   * @param improved whether this epoch became the best (and was checkpointed)
   * @param bestEpoch the best epoch so far
   * @param bestMeanIou the best validation mIoU so far
   * @param nativeArrays NDArrays alive in the model's native memory after the epoch (weights,
   *     gradients, optimiser state): constant from epoch to epoch when nothing leaks
   * @param rssBytes the process's resident set size (0 where /proc is not available)
   */
  record Evaluation(
      String runId,
      int epoch,
      int maxEpochs,
      long step,
      long totalSteps,
      double meanLoss,
      ValidationScores scores,
      boolean improved,
      int bestEpoch,
      double bestMeanIou,
      Duration elapsed,
      Duration eta,
      long nativeArrays,
      long rssBytes) {}

  /** Called before the first step. */
  default void onStart(Start start) {}

  /** Called after every optimiser step. */
  default void onStep(Step step) {}

  /** Called after every epoch's validation. */
  default void onEvaluation(Evaluation evaluation) {}

  /**
   * Polled between steps: {@code true} ends the run early ({@link
   * TrainingResult.StopReason#CANCELLED}), keeping the best checkpoint so far.
   */
  default boolean shouldStop() {
    return false;
  }
}
