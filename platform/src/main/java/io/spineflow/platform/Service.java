package io.spineflow.platform;

/**
 * The one start/stop contract every spineflow service implements. A service owns its Kafka clients
 * and threads; {@link #close()} stops them cleanly and may be called more than once.
 */
public interface Service extends AutoCloseable {
  /** Short name used in logs, metrics tags and the HTTP health report, e.g. {@code ingest}. */
  String name();

  /** Starts processing; returns once the service is running (it keeps running in its threads). */
  void start();

  /** What {@code /health} reports for this service. */
  Health health();

  @Override
  void close();
}
