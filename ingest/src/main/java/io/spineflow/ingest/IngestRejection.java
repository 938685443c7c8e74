package io.spineflow.ingest;

/**
 * Thrown by ingest's checks when an upload must go to the dead-letter topic. Carries the {@link
 * Rejection}; has no stack trace (it is an expected outcome, not a fault).
 */
public final class IngestRejection extends Exception {
  private static final long serialVersionUID = 1L;
  private final transient Rejection rejection;

  public IngestRejection(Rejection rejection) {
    super(rejection.reasonCode() + ": " + rejection.message(), null, false, false);
    this.rejection = rejection;
  }

  public IngestRejection(IngestReason reason, String field, String limit, String message) {
    this(Rejection.of(reason, field, limit, message));
  }

  public Rejection rejection() {
    return rejection;
  }
}
