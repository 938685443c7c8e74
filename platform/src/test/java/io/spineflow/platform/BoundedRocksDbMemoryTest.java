package io.spineflow.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;

/** Every RocksDB store of a service shares one bounded pool; 0 keeps RocksDB's own defaults. */
class BoundedRocksDbMemoryTest {
  @TempDir Path dataDir;

  private Properties properties(String rocksDbMib) {
    ServiceContext context =
        ServiceContext.from(
            "svc",
            Settings.of(
                Map.of(
                    "bootstrap.servers",
                    "127.0.0.1:1",
                    "data.dir",
                    dataDir.toString(),
                    "streams.rocksdb.memory.mb",
                    rocksDbMib)));
    return StreamsRunner.properties(context, "app", dataDir.resolve("streams"), 1 << 20);
  }

  @Test
  void theRunnerInstallsThePoolWithItsSizeAndZeroLeavesRocksDbAlone() {
    Properties bounded = properties("32");
    assertThat(bounded.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG))
        .isEqualTo(BoundedRocksDbMemory.class);
    assertThat(bounded.get(BoundedRocksDbMemory.TOTAL_BYTES_CONFIG))
        .isEqualTo(Long.toString(32L << 20));
    assertThat(properties("0")).doesNotContainKey(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG);
  }

  @Test
  void storesShareOneCacheAndSmallMemtables() {
    Map<String, Object> configs = Map.of(BoundedRocksDbMemory.TOTAL_BYTES_CONFIG, 16L << 20);
    BoundedRocksDbMemory setter = new BoundedRocksDbMemory();
    try (Options a = new Options();
        Options b = new Options()) {
      a.setTableFormatConfig(new BlockBasedTableConfig());
      b.setTableFormatConfig(new BlockBasedTableConfig());
      setter.setConfig("a", a, configs);
      setter.setConfig("b", b, configs);
      assertThat(a.writeBufferSize())
          .isLessThanOrEqualTo(16L << 20)
          .isGreaterThanOrEqualTo(1 << 20);
      assertThat(a.maxWriteBufferNumber()).isEqualTo(2);
      assertThat(((BlockBasedTableConfig) a.tableFormatConfig()).cacheIndexAndFilterBlocks())
          .isTrue();
      assertThat(BoundedRocksDbMemory.poolBytes()).isPositive();
    }
  }

  @Test
  void aRealStoreWorksWithThePool() {
    StreamsBuilder builder = new StreamsBuilder();
    builder.table(
        "in",
        Consumed.with(Serdes.String(), Serdes.String()),
        Materialized.<String, String, KeyValueStore<org.apache.kafka.common.utils.Bytes, byte[]>>as(
            "kept"));
    // The pool's two properties as the runner sets them; the rest of its settings need a broker.
    Properties runner = properties("8");
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "app");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
    props.put(StreamsConfig.STATE_DIR_CONFIG, dataDir.resolve("driver").toString());
    props.put(
        StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG,
        runner.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG));
    props.put(
        BoundedRocksDbMemory.TOTAL_BYTES_CONFIG,
        runner.get(BoundedRocksDbMemory.TOTAL_BYTES_CONFIG));
    try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
      TestInputTopic<String, String> in =
          driver.createInputTopic("in", Serdes.String().serializer(), Serdes.String().serializer());
      for (int i = 0; i < 1000; i++) {
        in.pipeInput("k" + i, "v" + i);
      }
      KeyValueStore<String, String> kept = driver.getKeyValueStore("kept");
      assertThat(kept.get("k999")).isEqualTo("v999");
      assertThat(kept.approximateNumEntries()).isPositive();
    }
  }
}
