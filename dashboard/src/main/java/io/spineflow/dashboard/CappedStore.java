package io.spineflow.dashboard;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps a key-value store of time-ordered keys ({@link #timeKey}) at most {@code max} entries long
 * by deleting the smallest keys, i.e. the oldest. The store must be in memory and uncached, so its
 * entry count is exact.
 */
final class CappedStore {
  private CappedStore() {}

  /** A key that sorts by {@code time}, made unique by {@code suffix}. */
  static String timeKey(long time, String suffix) {
    return String.format("%015d|%s", Math.max(0, time), suffix);
  }

  /** Deletes the oldest entries until at most {@code max} remain. */
  static <V> void trim(KeyValueStore<String, V> store, int max) {
    long excess = store.approximateNumEntries() - max;
    if (excess <= 0) {
      return;
    }
    List<String> oldest = new ArrayList<>();
    try (KeyValueIterator<String, V> all = store.all()) {
      while (all.hasNext() && oldest.size() < excess) {
        KeyValue<String, V> next = all.next();
        oldest.add(next.key);
      }
    }
    oldest.forEach(store::delete);
  }
}
