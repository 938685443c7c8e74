package io.spineflow.ingest;

/** Kafka did not acknowledge a record in time: the input was not published (and not lost). */
public final class PublishException extends Exception {
  private static final long serialVersionUID = 1L;

  public PublishException(String message, Throwable cause) {
    super(message, cause);
  }
}
