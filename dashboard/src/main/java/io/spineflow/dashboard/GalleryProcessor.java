package io.spineflow.dashboard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Joins {@code slices}, {@code masks} and {@code quality} by slice key (co-partitioned) and keeps,
 * per partition, the {@code size} worst slices seen recently: a slice waits in {@link
 * DashboardStores#GALLERY_PENDING} (8-bit, at most {@code pendingMax}, oldest dropped first) until
 * its mask and quality arrive; then it enters the gallery if there is room, or if a gallery slice
 * is older than {@code horizon} (the oldest such goes), or if it is worse than the least bad one
 * (which goes). "Worse" is {@link GalleryRank#severityOf}: lowest Dice first.
 */
final class GalleryProcessor implements Processor<String, GalleryPart, Void, Void> {
  private final int size;
  private final long horizonMillis;
  private final int pendingMax;
  private KeyValueStore<String, GalleryPending> pending;
  private KeyValueStore<String, String> order;
  private KeyValueStore<String, GalleryRank> index;
  private KeyValueStore<String, GalleryEntry> entries;

  GalleryProcessor(int size, Duration horizon, int pendingMax) {
    this.size = size;
    this.horizonMillis = horizon.toMillis();
    this.pendingMax = pendingMax;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    pending = context.getStateStore(DashboardStores.GALLERY_PENDING);
    order = context.getStateStore(DashboardStores.GALLERY_PENDING_ORDER);
    index = context.getStateStore(DashboardStores.GALLERY_INDEX);
    entries = context.getStateStore(DashboardStores.GALLERY_ENTRIES);
  }

  @Override
  public void process(Record<String, GalleryPart> record) {
    String key = record.key();
    GalleryPart part = record.value();
    if (key == null || part == null) {
      return;
    }
    GalleryPending waiting = pending.get(key);
    GalleryPart merged = waiting == null ? part : waiting.parts().with(part);
    if (merged.complete()) {
      if (waiting != null) {
        order.delete(waiting.orderKey());
        pending.delete(key);
      }
      if (merged.consistent()) {
        offer(key, merged);
      }
      return;
    }
    String orderKey =
        waiting == null ? CappedStore.timeKey(record.timestamp(), key) : waiting.orderKey();
    if (waiting == null) {
      order.put(orderKey, key);
    }
    pending.put(key, new GalleryPending(orderKey, merged));
    while (pending.approximateNumEntries() > pendingMax) {
      Optional<KeyValue<String, String>> oldest = first(order);
      if (oldest.isEmpty()) {
        break;
      }
      order.delete(oldest.get().key);
      pending.delete(oldest.get().value);
    }
  }

  private void offer(String key, GalleryPart parts) {
    GalleryPart.Scores scores = parts.quality();
    long at = parts.mask().producedAt();
    GalleryRank candidate =
        new GalleryRank(
            key,
            parts.slice().studyUid(),
            parts.slice().sliceIndex(),
            parts.slice().sequence(),
            parts.mask().modelName(),
            parts.mask().modelVersion(),
            scores.labelled(),
            scores.dice(),
            scores.meanDice(),
            scores.meanMaxProbability(),
            GalleryRank.severityOf(scores),
            at,
            scores.labelledClasses(),
            scores.bodyRecall(),
            scores.bodyAreaRatio());
    List<GalleryRank> shown = new ArrayList<>();
    try (KeyValueIterator<String, GalleryRank> all = index.all()) {
      all.forEachRemaining(kv -> shown.add(kv.value));
    }
    boolean replacesItself = shown.stream().anyMatch(r -> r.key().equals(key));
    if (!replacesItself && shown.size() >= size) {
      long expiry = at - horizonMillis;
      Optional<GalleryRank> expired =
          shown.stream()
              .filter(r -> r.at() < expiry)
              .min(Comparator.comparingLong(GalleryRank::at));
      GalleryRank leaving =
          expired.orElseGet(
              () ->
                  shown.stream()
                      .min(Comparator.comparingDouble(GalleryRank::severity))
                      .orElseThrow());
      if (expired.isEmpty() && !(candidate.severity() > leaving.severity())) {
        return;
      }
      index.delete(leaving.key());
      entries.delete(leaving.key());
    }
    index.put(key, candidate);
    entries.put(key, new GalleryEntry(key, parts.slice(), parts.mask(), at));
  }

  private static <V> Optional<KeyValue<String, V>> first(KeyValueStore<String, V> store) {
    try (KeyValueIterator<String, V> all = store.all()) {
      return all.hasNext() ? Optional.of(all.next()) : Optional.empty();
    }
  }
}
