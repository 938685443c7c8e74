package io.spineflow.dashboard;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * Interactive queries on a running {@link KafkaStreams}: each store is the composite of all local
 * partitions (the dashboard runs as one instance, so that is every partition).
 */
final class StreamsStoreAccess implements StoreAccess {
  private final KafkaStreams streams;

  StreamsStoreAccess(KafkaStreams streams) {
    this.streams = streams;
  }

  @Override
  public <V> ReadOnlyKeyValueStore<String, V> keyValue(String name) {
    return streams.store(
        StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore()));
  }

  @Override
  public <V> ReadOnlyWindowStore<String, V> window(String name) {
    return streams.store(
        StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>windowStore()));
  }
}
