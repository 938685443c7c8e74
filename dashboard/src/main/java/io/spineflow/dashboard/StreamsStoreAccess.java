package io.spineflow.dashboard;

import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.StreamsNotStartedException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * Interactive queries on a running {@link KafkaStreams}: each store is the composite of all local
 * partitions (the dashboard runs as one instance, so that is every partition).
 */
final class StreamsStoreAccess implements StoreAccess {
  private final Supplier<KafkaStreams> streams;

  /**
   * @param streams the running client; null until it is created (queries then fail as a store that
   *     is not ready yet does)
   */
  StreamsStoreAccess(Supplier<KafkaStreams> streams) {
    this.streams = streams;
  }

  private KafkaStreams streams() {
    KafkaStreams current = streams.get();
    if (current == null) {
      throw new StreamsNotStartedException("the dashboard's Kafka Streams is not created yet");
    }
    return current;
  }

  @Override
  public <V> ReadOnlyKeyValueStore<String, V> keyValue(String name) {
    return streams()
        .store(
            StoreQueryParameters.fromNameAndType(
                name, QueryableStoreTypes.<String, V>keyValueStore()));
  }

  @Override
  public <V> ReadOnlyWindowStore<String, V> window(String name) {
    return streams()
        .store(
            StoreQueryParameters.fromNameAndType(
                name, QueryableStoreTypes.<String, V>windowStore()));
  }
}
