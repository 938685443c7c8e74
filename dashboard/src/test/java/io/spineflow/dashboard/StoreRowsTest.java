package io.spineflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.kstream.internals.TimeWindow;
import org.junit.jupiter.api.Test;

/** What one dashboard instance sends another reads back as it was stored. */
class StoreRowsTest {

  @Test
  void keyValuesAndWindowsRoundTripWithTheStoresSerdes() {
    @SuppressWarnings("unchecked")
    Serde<Long> totals =
        (Serde<Long>)
            DashboardStores.queryable(DashboardStores.DEADLETTER_TOTALS).orElseThrow().values();
    List<KeyValue<String, Long>> rows =
        List.of(KeyValue.pair("TRUNCATED_DATA", 3L), KeyValue.pair("étude/β", 7L));
    byte[] bytes = StoreRows.encodeKeyValues(DashboardStores.DEADLETTER_TOTALS, rows, totals);
    assertThat(StoreRows.decodeKeyValues(DashboardStores.DEADLETTER_TOTALS, bytes, totals))
        .isEqualTo(rows);

    Serde<Long> counts = Serdes.Long();
    List<KeyValue<Windowed<String>, Long>> windows =
        List.of(
            KeyValue.pair(new Windowed<>("HEADER_BOMB", new TimeWindow(60_000, 120_000)), 2L),
            KeyValue.pair(new Windowed<>("HEADER_BOMB", new TimeWindow(120_000, 180_000)), 5L));
    byte[] windowBytes =
        StoreRows.encodeWindows(DashboardStores.DEADLETTER_WINDOWS, windows, counts);
    assertThat(StoreRows.decodeWindows(DashboardStores.DEADLETTER_WINDOWS, windowBytes, counts))
        .isEqualTo(windows);
  }

  @Test
  void everyStoreThePageReadsCanBeFetchedFromAPeer() {
    for (String store :
        List.of(
            DashboardStores.QUALITY_WINDOWS,
            DashboardStores.MASK_WINDOWS,
            DashboardStores.DEADLETTER_WINDOWS,
            DashboardStores.DEADLETTER_RECENT,
            DashboardStores.DEADLETTER_TOTALS,
            DashboardStores.MODELS_LIVE,
            DashboardStores.MODEL_VERSIONS,
            DashboardStores.MODEL_TIMELINE,
            DashboardStores.TRAINING_LATEST,
            DashboardStores.DRIFT_STATUS,
            DashboardStores.DRIFT_ALERTS,
            DashboardStores.GALLERY_INDEX,
            DashboardStores.GALLERY_ENTRIES,
            DashboardStores.STUDY_RESULTS)) {
      assertThat(DashboardStores.queryable(store)).as(store).isPresent();
    }
    assertThat(DashboardStores.queryable(DashboardStores.GALLERY_PENDING)).isEmpty();
  }

  @Test
  void truncatedRowsAreRefused() {
    byte[] bytes = StoreRows.encodeKeyValues("s", List.of(KeyValue.pair("k", 42L)), Serdes.Long());
    byte[] cut = Arrays.copyOf(bytes, bytes.length - 3);
    assertThatThrownBy(() -> StoreRows.decodeKeyValues("s", cut, Serdes.Long()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot be read");
  }
}
