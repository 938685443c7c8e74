package io.spineflow.dashboard;

import io.spineflow.events.DeadLetter;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps, per partition of {@code deadletter}, the most recent dead letters (capped) and a count per
 * reason code since the start. The page merges the partitions.
 */
final class DeadLetterLogProcessor implements Processor<String, DeadLetter, Void, Void> {
  private final int recentMax;
  private ProcessorContext<Void, Void> context;
  private KeyValueStore<String, DeadLetterView> recent;
  private KeyValueStore<String, Long> totals;

  DeadLetterLogProcessor(int recentMax) {
    this.recentMax = recentMax;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.context = context;
    this.recent = context.getStateStore(DashboardStores.DEADLETTER_RECENT);
    this.totals = context.getStateStore(DashboardStores.DEADLETTER_TOTALS);
  }

  @Override
  public void process(Record<String, DeadLetter> record) {
    DeadLetter letter = record.value();
    if (letter == null) {
      return;
    }
    String key = record.key() == null ? "" : record.key();
    String unique =
        context
            .recordMetadata()
            .map(RecordMetadata::offset)
            .map(Object::toString)
            .orElse(key + "@" + record.timestamp());
    recent.put(CappedStore.timeKey(record.timestamp(), unique), DeadLetterView.of(key, letter));
    CappedStore.trim(recent, recentMax);
    Long total = totals.get(letter.getReasonCode());
    totals.put(letter.getReasonCode(), (total == null ? 0 : total) + 1);
  }
}
