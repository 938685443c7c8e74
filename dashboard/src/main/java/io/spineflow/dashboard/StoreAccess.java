package io.spineflow.dashboard;

import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;

/**
 * Read access to the dashboard's stores by name, over every partition: interactive queries on this
 * instance's stores ({@link LocalStores}), on every instance's ({@link PeerStores}), or a {@code
 * TopologyTestDriver}'s stores in a test. A store that cannot be read completely right now
 * (restoring, rebalancing, a partition's instance not answering) throws {@link
 * org.apache.kafka.streams.errors.InvalidStateStoreException}: an answer is whole or not given.
 */
public interface StoreAccess {
  /** Every entry of a key-value store. */
  <V> List<KeyValue<String, V>> all(String store);

  /** Every window of a window store whose start is within {@code [from, to]} (epoch ms). */
  <V> List<KeyValue<Windowed<String>, V>> windows(String store, long from, long to);

  /** The value of {@code key} in a key-value store. */
  <V> Optional<V> get(String store, String key);
}
