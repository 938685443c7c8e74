package io.spineflow.dashboard;

import org.apache.kafka.streams.errors.InvalidStateStoreException;

/**
 * A part of a store is not readable right now: its partition has no running instance (a rebalance),
 * or the instance that holds it did not answer. Like a store that is restoring, the request answers
 * 503 and is asked again.
 */
public final class PeerUnavailableException extends InvalidStateStoreException {
  private static final long serialVersionUID = 1L;

  public PeerUnavailableException(String message) {
    super(message);
  }
}
