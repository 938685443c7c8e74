package io.spineflow.model;

import java.time.Duration;

/**
 * What one optimiser step did.
 *
 * @param step steps taken by the trainer so far, this one included (from 1)
 * @param loss the batch loss before the update
 * @param batchSize slices in the batch
 * @param duration forward, backward and update together
 */
public record TrainingStepResult(long step, float loss, int batchSize, Duration duration) {

  /** False when the loss is NaN or infinite: the caller should stop and roll back. */
  public boolean isFinite() {
    return Float.isFinite(loss);
  }
}
