package io.spineflow.platform;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the native memory of every RocksDB state store of a service together: one block cache and
 * one write-buffer manager shared by all of the JVM's stores (Kafka Streams' documented recipe),
 * instead of RocksDB's per-store defaults (a 50 MiB block cache and up to 3 × 16 MiB of memtables
 * for each store and partition, allocated outside the JVM's accounting). Memtables are charged to
 * the cache, so the total holds for both.
 *
 * <p>The first store configured in a JVM sizes the shared pool from {@link #TOTAL_BYTES_CONFIG};
 * the pool lives as long as the JVM, since stores come and go with rebalances.
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {
  /** Streams property carrying the pool's size in bytes (set by {@link StreamsRunner}). */
  public static final String TOTAL_BYTES_CONFIG = "spineflow.rocksdb.memory.bytes";

  /** Share of the pool memtables may take; the rest caches blocks, index and filters. */
  private static final double MEMTABLE_SHARE = 0.5;

  /** Share of the cache kept for index and filter blocks (high priority). */
  private static final double INDEX_FILTER_SHARE = 0.1;

  private static Cache cache;
  private static WriteBufferManager writeBuffers;
  private static long poolBytes;

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    long total = Long.parseLong(String.valueOf(configs.get(TOTAL_BYTES_CONFIG)));
    Pool pool = pool(total);
    BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
    table.setBlockCache(pool.cache());
    table.setCacheIndexAndFilterBlocks(true);
    table.setCacheIndexAndFilterBlocksWithHighPriority(true);
    table.setPinTopLevelIndexAndFilter(true);
    options.setTableFormatConfig(table);
    options.setWriteBufferManager(pool.writeBuffers());
    // Small memtables, flushed early: a store's writes here are small records.
    options.setWriteBufferSize(Math.max(1L << 20, (long) (total * MEMTABLE_SHARE) / 8));
    options.setMaxWriteBufferNumber(2);
  }

  @Override
  public void close(String storeName, Options options) {
    // The pool is shared by every store of the JVM: never closed with one of them.
  }

  /** The pool's size in bytes, or 0 before any store was configured. */
  public static synchronized long poolBytes() {
    return poolBytes;
  }

  private record Pool(Cache cache, WriteBufferManager writeBuffers) {}

  private static synchronized Pool pool(long total) {
    if (cache == null) {
      cache = new LRUCache(total, -1, false, INDEX_FILTER_SHARE);
      writeBuffers = new WriteBufferManager((long) (total * MEMTABLE_SHARE), cache);
      poolBytes = total;
    }
    return new Pool(cache, writeBuffers);
  }
}
