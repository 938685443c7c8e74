package io.spineflow.model;

import java.time.Duration;

/**
 * What one optimiser step did.
 *
 * @param step updates applied by the trainer so far, this one included if it was applied
 * @param loss the batch loss before the update
 * @param batchSize slices in the batch
 * @param duration forward, backward and update together
 * @param applied false when the loss or a gradient was NaN or infinite and the update was dropped
 *     (the model is as it was before the batch)
 */
public record TrainingStepResult(
    long step, float loss, int batchSize, Duration duration, boolean applied) {

  /** False when the loss is NaN or infinite. */
  public boolean isFinite() {
    return Float.isFinite(loss);
  }
}
