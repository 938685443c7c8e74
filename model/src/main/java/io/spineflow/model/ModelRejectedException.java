package io.spineflow.model;

import java.util.Objects;

/**
 * A stored model that must not serve: its files do not match what was announced, or it computes
 * garbage. The caller keeps its previous model; {@link #reason()} is the dead-letter reason code.
 */
public final class ModelRejectedException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Why a model was rejected. */
  public enum Reason {
    /** The weights file's SHA-256 differs from the expected one (tampered or truncated copy). */
    CHECKSUM_MISMATCH,
    /** {@code architecture.json} is unreadable or differs from the expected architecture. */
    ARCHITECTURE_MISMATCH,
    /** The model directory or one of its files is missing. */
    MISSING_FILE,
    /** The weights file cannot be parsed or does not fit the architecture. */
    CORRUPT_WEIGHTS,
    /** A warm-up batch produced NaN or infinite outputs. */
    NAN_OUTPUT
  }

  private final Reason reason;

  /**
   * @param reason the reason code
   * @param message what was wrong, naming the model and the offending file or value
   */
  public ModelRejectedException(Reason reason, String message) {
    this(reason, message, null);
  }

  /**
   * @param reason the reason code
   * @param message what was wrong, naming the model and the offending file or value
   * @param cause the underlying error, or {@code null}
   */
  public ModelRejectedException(Reason reason, String message, Throwable cause) {
    super(Objects.requireNonNull(reason, "reason") + ": " + message, cause);
    this.reason = reason;
  }

  /** The reason code. */
  public Reason reason() {
    return reason;
  }
}
