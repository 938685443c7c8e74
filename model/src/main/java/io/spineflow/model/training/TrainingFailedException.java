package io.spineflow.model.training;

/** A training run could not finish: the loss diverged, or the data or model was unusable. */
public final class TrainingFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** With a message for the {@code training} topic's FAILED event. */
  public TrainingFailedException(String message) {
    super(message);
  }

  /** With a message and the cause. */
  public TrainingFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
