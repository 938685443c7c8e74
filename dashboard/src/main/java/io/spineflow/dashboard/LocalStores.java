package io.spineflow.dashboard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.StreamsNotStartedException;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * Interactive queries on this instance's {@link KafkaStreams}: a store as the composite of its
 * local partitions (all of them when the dashboard is one instance), or one partition (what {@link
 * PeerStores} merges and what an instance serves its peers). Only active, running partitions
 * answer; a partition restoring or elsewhere throws {@link
 * org.apache.kafka.streams.errors.InvalidStateStoreException}.
 */
public final class LocalStores implements StoreAccess {
  private final Supplier<KafkaStreams> streams;

  /**
   * @param streams the running client; null until it is created (queries then fail as a store that
   *     is not ready yet does)
   */
  public LocalStores(Supplier<KafkaStreams> streams) {
    this.streams = streams;
  }

  KafkaStreams streams() {
    KafkaStreams current = streams.get();
    if (current == null) {
      throw new StreamsNotStartedException("the dashboard's Kafka Streams is not created yet");
    }
    return current;
  }

  @Override
  public <V> List<KeyValue<String, V>> all(String store) {
    return drain(this.<V>keyValue(store, null));
  }

  @Override
  public <V> List<KeyValue<Windowed<String>, V>> windows(String store, long from, long to) {
    return windows(this.<V>window(store, null), from, to);
  }

  @Override
  public <V> Optional<V> get(String store, String key) {
    return Optional.ofNullable(this.<V>keyValue(store, null).get(key));
  }

  /** Every entry of one partition of a key-value store. */
  public <V> List<KeyValue<String, V>> all(String store, int partition) {
    return drain(this.<V>keyValue(store, partition));
  }

  /** The windows of one partition of a window store starting within {@code [from, to]}. */
  public <V> List<KeyValue<Windowed<String>, V>> windows(
      String store, int partition, long from, long to) {
    return windows(this.<V>window(store, partition), from, to);
  }

  /** The value of {@code key} in one partition of a key-value store. */
  public <V> Optional<V> get(String store, int partition, String key) {
    return Optional.ofNullable(this.<V>keyValue(store, partition).get(key));
  }

  private <V> ReadOnlyKeyValueStore<String, V> keyValue(String name, Integer partition) {
    StoreQueryParameters<ReadOnlyKeyValueStore<String, V>> params =
        StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore());
    return streams().store(partition == null ? params : params.withPartition(partition));
  }

  private <V> ReadOnlyWindowStore<String, V> window(String name, Integer partition) {
    StoreQueryParameters<ReadOnlyWindowStore<String, V>> params =
        StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>windowStore());
    return streams().store(partition == null ? params : params.withPartition(partition));
  }

  private static <V> List<KeyValue<String, V>> drain(ReadOnlyKeyValueStore<String, V> store) {
    List<KeyValue<String, V>> out = new ArrayList<>();
    try (KeyValueIterator<String, V> it = store.all()) {
      it.forEachRemaining(out::add);
    }
    return out;
  }

  private static <V> List<KeyValue<Windowed<String>, V>> windows(
      ReadOnlyWindowStore<String, V> store, long from, long to) {
    List<KeyValue<Windowed<String>, V>> out = new ArrayList<>();
    try (KeyValueIterator<Windowed<String>, V> it =
        store.fetchAll(Instant.ofEpochMilli(from), Instant.ofEpochMilli(to))) {
      it.forEachRemaining(out::add);
    }
    return out;
  }
}
