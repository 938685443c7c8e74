package io.spineflow.dashboard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;

/** {@link StoreAccess} on a {@link TopologyTestDriver}'s stores. */
final class DriverStores implements StoreAccess {
  private final TopologyTestDriver driver;

  DriverStores(TopologyTestDriver driver) {
    this.driver = driver;
  }

  @Override
  public <V> List<KeyValue<String, V>> all(String store) {
    List<KeyValue<String, V>> out = new ArrayList<>();
    try (KeyValueIterator<String, V> it = driver.<String, V>getKeyValueStore(store).all()) {
      it.forEachRemaining(out::add);
    }
    return out;
  }

  @Override
  public <V> List<KeyValue<Windowed<String>, V>> windows(String store, long from, long to) {
    List<KeyValue<Windowed<String>, V>> out = new ArrayList<>();
    try (KeyValueIterator<Windowed<String>, V> it =
        driver
            .<String, V>getWindowStore(store)
            .fetchAll(Instant.ofEpochMilli(from), Instant.ofEpochMilli(to))) {
      it.forEachRemaining(out::add);
    }
    return out;
  }

  @Override
  public <V> Optional<V> get(String store, String key) {
    return Optional.ofNullable(driver.<String, V>getKeyValueStore(store).get(key));
  }
}
