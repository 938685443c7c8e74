package io.spineflow.dashboard;

import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/** {@link StoreAccess} on a {@link TopologyTestDriver}'s stores. */
final class DriverStores implements StoreAccess {
  private final TopologyTestDriver driver;

  DriverStores(TopologyTestDriver driver) {
    this.driver = driver;
  }

  @Override
  public <V> ReadOnlyKeyValueStore<String, V> keyValue(String name) {
    return driver.getKeyValueStore(name);
  }

  @Override
  public <V> ReadOnlyWindowStore<String, V> window(String name) {
    return driver.getWindowStore(name);
  }
}
