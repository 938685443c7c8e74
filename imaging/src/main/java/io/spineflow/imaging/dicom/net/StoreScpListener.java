package io.spineflow.imaging.dicom.net;

/**
 * Told of every {@link ScpEvent}, on the association's thread and before the SCP answers: a
 * listener that records an {@link ScpEvent.Kind#INSTANCE_REJECTED} durably (a dead letter) has done
 * so when the sender gets its status. An exception it throws is swallowed: a listener never stops
 * the SCP.
 */
@FunctionalInterface
public interface StoreScpListener {
  void onEvent(ScpEvent event);

  /** Ignores everything. */
  StoreScpListener NONE = event -> {};
}
