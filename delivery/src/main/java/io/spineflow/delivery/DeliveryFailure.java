package io.spineflow.delivery;

/**
 * One attempt that did not deliver: whether another may ({@link #retryable()}) and what the target
 * said, e.g. {@code CONNECTION_FAILED: ...} or {@code HTTP 409: ...}.
 */
final class DeliveryFailure extends Exception {
  private static final long serialVersionUID = 1L;
  private final boolean retryable;

  DeliveryFailure(boolean retryable, String message, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  boolean retryable() {
    return retryable;
  }
}
