package io.spineflow.dashboard;

import io.spineflow.events.DeadLetter;
import io.spineflow.events.Mask;
import io.spineflow.events.ModelAnnouncement;
import io.spineflow.events.Quality;
import io.spineflow.events.Slice;
import io.spineflow.events.TrainingProgress;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Windows by event time: when the mask or quality was produced, the dead letter written, the slice
 * preprocessed, the model announced. A record without a usable time falls back to its Kafka
 * timestamp, then to the partition's stream time.
 */
public final class EventTime implements TimestampExtractor {

  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    Object value = record.value();
    Instant at = null;
    if (value instanceof Quality q) {
      at = q.getProducedAt();
    } else if (value instanceof Mask m) {
      at = m.getProducedAt();
    } else if (value instanceof DeadLetter d) {
      at = d.getAt();
    } else if (value instanceof Slice s) {
      at = s.getPreprocessedAt();
    } else if (value instanceof ModelAnnouncement a) {
      at = a.getAnnouncedAt();
    } else if (value instanceof TrainingProgress t) {
      at = t.getAt();
    }
    long time = at == null ? record.timestamp() : at.toEpochMilli();
    return time >= 0 ? time : Math.max(0, partitionTime);
  }
}
