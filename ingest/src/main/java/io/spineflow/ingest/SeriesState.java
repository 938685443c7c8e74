package io.spineflow.ingest;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Where one DICOM series stands, in the {@code dicom-series} store.
 *
 * @param lastArrival wall-clock time (ms) its last new or changed instance arrived
 * @param due wall-clock time (ms) it is assembled (last arrival + quiet period); 0 when nothing new
 *     waits (published, refused or skipped since)
 * @param skipped true once it was skipped (localizer, axial, ...): its instances are not kept and
 *     later ones are dropped
 */
record SeriesState(long lastArrival, long due, boolean skipped) {

  SeriesState arrived(long now, long quietMs) {
    return new SeriesState(now, now + quietMs, skipped);
  }

  SeriesState settled() {
    return new SeriesState(lastArrival, 0, skipped);
  }

  SeriesState skip() {
    return new SeriesState(lastArrival, 0, true);
  }

  boolean waiting() {
    return due > 0;
  }

  static Serde<SeriesState> serde() {
    Serializer<SeriesState> writer =
        (topic, s) ->
            s == null
                ? null
                : ByteBuffer.allocate(18)
                    .put((byte) 1)
                    .putLong(s.lastArrival)
                    .putLong(s.due)
                    .put((byte) (s.skipped ? 1 : 0))
                    .array();
    Deserializer<SeriesState> reader =
        (topic, data) -> {
          if (data == null) {
            return null;
          }
          if (data.length != 18 || data[0] != 1) {
            throw new SerializationException("unknown series-state layout");
          }
          ByteBuffer b = ByteBuffer.wrap(data, 1, 17);
          return new SeriesState(b.getLong(), b.getLong(), b.get() == 1);
        };
    return Serdes.serdeFrom(writer, reader);
  }
}
