package io.spineflow.imaging.dicom.net;

import java.io.IOException;

/**
 * A C-STORE that did not store the instance, with its reason: whether sending it again can help is
 * the reason's, so a caller retries only what a retry can fix.
 *
 * @see Reason
 */
public final class StoreFailure extends IOException {
  private static final long serialVersionUID = 1L;

  /** Why a send failed. Matched by operators in dead letters: never rename or reuse a constant. */
  public enum Reason {
    /** The connection could not be opened or broke (refused, timed out, reset, TLS failed). */
    CONNECTION_FAILED(true),
    /** A-ASSOCIATE-RJ, transient: the receiver is busy (e.g. its association limit). */
    ASSOCIATION_REJECTED_TRANSIENT(true),
    /** A-ASSOCIATE-RJ, permanent: unknown AE title, unsupported application context. */
    ASSOCIATION_REJECTED(false),
    /** The receiver does not take this SOP class (presentation context result 1, 2 or 3). */
    SOP_CLASS_REFUSED(false),
    /** The receiver takes the SOP class in no transfer syntax the sender can send this file in. */
    TRANSFER_SYNTAX_REFUSED(false),
    /** C-STORE-RSP status A7xx: out of resources, which a later try may find freed. */
    OUT_OF_RESOURCES(true),
    /** Any other C-STORE-RSP status that is neither success nor a warning. */
    STORE_FAILED(false),
    /** The receiver broke the protocol or aborted the association. */
    PROTOCOL_ERROR(true),
    /** The bytes to send are not a readable Part 10 file. */
    NOT_PART10(false);

    private final boolean retryable;

    Reason(boolean retryable) {
      this.retryable = retryable;
    }

    public boolean retryable() {
      return retryable;
    }
  }

  private final Reason reason;
  private final int status;

  /**
   * @param status the C-STORE-RSP status, or -1 when there was none
   */
  public StoreFailure(Reason reason, int status, String message, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = reason;
    this.status = status;
  }

  public Reason reason() {
    return reason;
  }

  /** The C-STORE-RSP status, or -1 when the receiver gave none. */
  public int status() {
    return status;
  }

  public boolean retryable() {
    return reason.retryable();
  }
}
