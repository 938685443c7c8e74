package io.spineflow.dashboard;

import io.spineflow.events.Segmentation;
import io.spineflow.platform.LogSafe;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the latest result of each study ({@code segmentations}, keyed by study UID): a result
 * completed earlier than the one stored (a replayed or reordered older revision) does not replace
 * it. At most {@code max} studies per partition; the oldest completed is dropped first (the order
 * store's key holds the UID's hash, never the UID: {@code forget} tombstones the result by UID and
 * the order entry only points at it).
 */
final class StudyResultProcessor implements Processor<String, Segmentation, Void, Void> {
  private final int max;
  private KeyValueStore<String, StudyResultView> results;
  private KeyValueStore<String, String> order;

  StudyResultProcessor(int max) {
    this.max = max;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.results = context.getStateStore(DashboardStores.STUDY_RESULTS);
    this.order = context.getStateStore(DashboardStores.STUDY_RESULTS_ORDER);
  }

  @Override
  public void process(Record<String, Segmentation> record) {
    if (record.value() == null || record.key() == null) {
      return;
    }
    StudyResultView view = StudyResultView.of(record.value());
    StudyResultView stored = results.get(record.key());
    if (stored != null && stored.completedAt() > view.completedAt()) {
      return;
    }
    if (stored != null) {
      order.delete(orderKey(stored));
    }
    results.put(record.key(), view);
    order.put(orderKey(view), record.key());
    while (results.approximateNumEntries() > max) {
      String oldest;
      String uid;
      try (KeyValueIterator<String, String> all = order.all()) {
        if (!all.hasNext()) {
          return;
        }
        KeyValue<String, String> next = all.next();
        oldest = next.key;
        uid = next.value;
      }
      order.delete(oldest);
      results.delete(uid);
    }
  }

  /** Sorts by completion; the UID only as its hash ({@link LogSafe#id}). */
  private static String orderKey(StudyResultView view) {
    return CappedStore.timeKey(view.completedAt(), LogSafe.id(view.studyUid()));
  }
}
