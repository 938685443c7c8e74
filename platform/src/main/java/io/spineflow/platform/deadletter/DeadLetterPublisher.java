package io.spineflow.platform.deadletter;

import io.spineflow.events.DeadLetter;

/** Publishes dead letters on {@code deadletter} and returns once the broker has them. */
public interface DeadLetterPublisher {
  /**
   * @param key the original record's key (may be null)
   * @throws RuntimeException when the dead letter could not be published; the caller must then not
   *     skip the record
   */
  void publish(String key, DeadLetter letter);
}
