package io.spineflow.platform;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * A "seen before" store bounded by time: key → the last accepted revision (e.g. a study UID → its
 * content hash), forgotten {@code dedup.retention} after it was written, so the store does not grow
 * for ever. A resend after the retention is no longer recognised: it is taken as a new revision of
 * the study (downstream consumers are idempotent per revision, so this costs work, not
 * correctness).
 *
 * <p>It is a timestamped key-value store under the same name as the plain store it replaces: Kafka
 * Streams migrates the old RocksDB format in place, and an entry carried over without a timestamp
 * is stamped with the time of the first sweep (so it is kept one retention from the upgrade).
 * Entries are checked against the retention on every read and deleted by a wall-clock sweep (a
 * tombstone on the changelog, which compaction then drops).
 */
public final class DedupStore {
  /** How often expired entries are deleted, at most. */
  private static final Duration MAX_SWEEP_INTERVAL = Duration.ofHours(1);

  private final TimestampedKeyValueStore<String, String> store;
  private final Duration retention;
  private final ProcessorContext<?, ?> context;

  private DedupStore(
      TimestampedKeyValueStore<String, String> store,
      Duration retention,
      ProcessorContext<?, ?> context) {
    this.store = store;
    this.retention = retention;
    this.context = context;
  }

  /** The store's builder, to add to the topology under {@code name} (changelogged). */
  public static StoreBuilder<TimestampedKeyValueStore<String, String>> builder(String name) {
    return Stores.timestampedKeyValueStoreBuilder(
        Stores.persistentTimestampedKeyValueStore(name), Serdes.String(), Serdes.String());
  }

  /**
   * The store {@code name} of a processor, swept every {@code min(1 h, retention / 10)} of wall
   * clock time from now on. Call from {@code Processor.init}.
   */
  public static DedupStore attach(ProcessorContext<?, ?> context, String name, Duration retention) {
    Objects.requireNonNull(retention, "retention");
    if (retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("retention must be positive: " + retention);
    }
    DedupStore dedup = new DedupStore(context.getStateStore(name), retention, context);
    Duration interval = retention.dividedBy(10);
    interval = interval.compareTo(MAX_SWEEP_INTERVAL) > 0 ? MAX_SWEEP_INTERVAL : interval;
    interval = interval.toMillis() < 1 ? Duration.ofMillis(1) : interval;
    context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, dedup::sweep);
    return dedup;
  }

  /** The revision last accepted for {@code key} within the retention, or null. */
  public String get(String key) {
    ValueAndTimestamp<String> v = store.get(key);
    if (v == null) {
      return null;
    }
    return expired(v.timestamp(), context.currentSystemTimeMs()) ? null : v.value();
  }

  /** Records {@code revision} as accepted for {@code key} now. */
  public void put(String key, String revision) {
    store.put(key, ValueAndTimestamp.make(revision, context.currentSystemTimeMs()));
  }

  /**
   * Deletes the entries older than the retention at {@code now} (wall-clock milliseconds) and
   * stamps those without a timestamp (migrated from a plain store) with {@code now}.
   *
   * @return how many entries were deleted
   */
  public int sweep(long now) {
    List<String> expired = new ArrayList<>();
    List<KeyValue<String, String>> unstamped = new ArrayList<>();
    try (KeyValueIterator<String, ValueAndTimestamp<String>> all = store.all()) {
      while (all.hasNext()) {
        KeyValue<String, ValueAndTimestamp<String>> e = all.next();
        if (e.value == null) {
          continue;
        }
        if (e.value.timestamp() < 0) {
          unstamped.add(KeyValue.pair(e.key, e.value.value()));
        } else if (expired(e.value.timestamp(), now)) {
          expired.add(e.key);
        }
      }
    }
    expired.forEach(store::delete);
    unstamped.forEach(e -> store.put(e.key, ValueAndTimestamp.make(e.value, now)));
    return expired.size();
  }

  private boolean expired(long writtenAt, long now) {
    // Unknown write time (migrated, not yet swept): kept, the sweep will stamp it.
    return writtenAt >= 0 && now - writtenAt > retention.toMillis();
  }
}
