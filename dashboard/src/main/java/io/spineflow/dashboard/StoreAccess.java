package io.spineflow.dashboard;

import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * Read access to the dashboard's stores by name: interactive queries over every local partition of
 * a running {@code KafkaStreams}, or a {@code TopologyTestDriver}'s stores in a test. A store that
 * is not queryable right now (restoring, rebalancing) throws {@link
 * org.apache.kafka.streams.errors.InvalidStateStoreException}.
 */
public interface StoreAccess {
  <V> ReadOnlyKeyValueStore<String, V> keyValue(String name);

  <V> ReadOnlyWindowStore<String, V> window(String name);
}
