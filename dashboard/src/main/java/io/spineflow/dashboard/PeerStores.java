package io.spineflow.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Every partition of a store, wherever it lives: the instances of one dashboard split the
 * partitions (Kafka Streams interactive queries), so each asks Streams' metadata which instance
 * holds each partition ({@code queryMetadataForKey}, each instance advertising {@code
 * application.server}), reads its own partitions locally and fetches the others' from them ({@link
 * PeerClient}). The answer covers every partition or is not given ({@link
 * PeerUnavailableException}): during a rebalance the page gets a 503 and asks again, never a
 * partial page that looks whole.
 *
 * <p>A partition is read from its active instance only (no standby, no stale store), so two
 * instances asked at the same time give the same answer.
 */
final class PeerStores implements StoreAccess {
  private final LocalStores local;
  private final HostInfo self;
  private final PeerClient peers;

  /** Partitions per store; a store's count never changes (the dashboard refuses a changed one). */
  private final Map<String, Integer> partitionCounts = new ConcurrentHashMap<>();

  PeerStores(LocalStores local, HostInfo self, PeerClient peers) {
    this.local = local;
    this.self = self;
    this.peers = peers;
  }

  @Override
  public <V> List<KeyValue<String, V>> all(String store) {
    Serde<V> serde = serde(store);
    List<KeyValue<String, V>> out = new ArrayList<>();
    placement(store)
        .forEach(
            (host, partitions) -> {
              if (host.equals(self)) {
                partitions.forEach(p -> out.addAll(local.<V>all(store, p)));
              } else {
                out.addAll(
                    StoreRows.decodeKeyValues(
                        store, peers.partitions(host, store, partitions, -1, -1), serde));
              }
            });
    return out;
  }

  @Override
  public <V> List<KeyValue<Windowed<String>, V>> windows(String store, long from, long to) {
    Serde<V> serde = serde(store);
    List<KeyValue<Windowed<String>, V>> out = new ArrayList<>();
    placement(store)
        .forEach(
            (host, partitions) -> {
              if (host.equals(self)) {
                partitions.forEach(p -> out.addAll(local.<V>windows(store, p, from, to)));
              } else {
                out.addAll(
                    StoreRows.decodeWindows(
                        store, peers.partitions(host, store, partitions, from, to), serde));
              }
            });
    return out;
  }

  @Override
  public <V> Optional<V> get(String store, String key) {
    KeyQueryMetadata where =
        local.streams().queryMetadataForKey(store, key, Serdes.String().serializer());
    HostInfo host = activeHost(store, where, -1);
    if (host.equals(self)) {
      return local.get(store, where.partition(), key);
    }
    List<KeyValue<String, V>> rows =
        StoreRows.decodeKeyValues(
            store, peers.key(host, store, where.partition(), key), this.<V>serde(store));
    return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.get(0).value);
  }

  /** Which instance holds each partition of {@code store}, instance → its partitions. */
  private Map<HostInfo, List<Integer>> placement(String store) {
    KafkaStreams streams = local.streams();
    int count = partitionCount(streams, store);
    Map<HostInfo, List<Integer>> byHost = new TreeMap<>(PeerStores::compare);
    for (int p = 0; p < count; p++) {
      KeyQueryMetadata where = streams.queryMetadataForKey(store, "", partition(p, null));
      byHost.computeIfAbsent(activeHost(store, where, p), h -> new ArrayList<>()).add(p);
    }
    return byHost;
  }

  private int partitionCount(KafkaStreams streams, String store) {
    Integer known = partitionCounts.get(store);
    if (known != null) {
      return known;
    }
    int[] seen = {0};
    KeyQueryMetadata where = streams.queryMetadataForKey(store, "", partition(0, seen));
    if (where == null || seen[0] < 1) {
      throw new PeerUnavailableException(
          "the partitions of " + store + " are not known yet (Kafka Streams is starting)");
    }
    partitionCounts.put(store, seen[0]);
    return seen[0];
  }

  private static HostInfo activeHost(String store, KeyQueryMetadata where, int partition) {
    if (where == null
        || where.activeHost() == null
        || where.activeHost().equals(KeyQueryMetadata.NOT_AVAILABLE.activeHost())) {
      throw new PeerUnavailableException(
          (partition < 0 ? "a partition" : "partition " + partition)
              + " of "
              + store
              + " has no running instance now (rebalancing)");
    }
    return where.activeHost();
  }

  /** Always {@code partition}; records the partition count Streams passes in {@code seen[0]}. */
  private static StreamPartitioner<String, Object> partition(int partition, int[] seen) {
    return new StreamPartitioner<>() {
      @Override
      public Optional<Set<Integer>> partitions(
          String topic, String key, Object value, int numPartitions) {
        if (seen != null) {
          seen[0] = numPartitions;
        }
        return Optional.of(Set.of(partition));
      }
    };
  }

  @SuppressWarnings("unchecked")
  private <V> Serde<V> serde(String store) {
    return (Serde<V>)
        DashboardStores.queryable(store)
            .orElseThrow(() -> new IllegalArgumentException("not a queried store: " + store))
            .values();
  }

  private static int compare(HostInfo a, HostInfo b) {
    int byHost = a.host().compareTo(b.host());
    return byHost != 0 ? byHost : Integer.compare(a.port(), b.port());
  }
}
