package io.spineflow.platform.deadletter;

import io.spineflow.schemas.Topic;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A topic's value serde whose deserializer refuses a tombstone with a {@link PoisonException}, so
 * Kafka Streams hands it to {@link DeadLetterDeserializationHandler} (one dead letter) instead of
 * passing a null value on to processors that would skip it silently or fail on it.
 */
public final class StrictSerde {
  private StrictSerde() {}

  public static <V> Serde<V> values(Topic<String, V> topic) {
    Serde<V> serde = topic.valueSerde();
    String eventType = topic.name() + " event";
    Deserializer<V> inner = serde.deserializer();
    Deserializer<V> strict =
        new Deserializer<>() {
          @Override
          public V deserialize(String t, byte[] data) {
            return deserialize(t, null, data);
          }

          @Override
          public V deserialize(String t, Headers headers, byte[] data) {
            if (data == null) {
              throw new PoisonException(Poison.tombstone(eventType));
            }
            return inner.deserialize(t, headers, data);
          }
        };
    return Serdes.serdeFrom(serde.serializer(), strict);
  }
}
