package io.spineflow.platform.deadletter;

import io.spineflow.schemas.Topic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Decodes the values of a topic read as raw bytes by a plain consumer, so a poisonous record is a
 * {@link PoisonException} for that record alone, never a {@code RecordDeserializationException}
 * thrown out of {@code poll()} that stops the loop. Owned by one thread (Avro decoders are not
 * shared).
 */
public final class EventDecoder<V> {
  private final Deserializer<V> deserializer;
  private final String eventType;

  public EventDecoder(Topic<String, V> topic) {
    this.deserializer = topic.valueSerde().deserializer();
    this.eventType = topic.name() + " event";
  }

  /**
   * @throws PoisonException a tombstone, undecodable bytes or a bad schema header
   */
  public V decode(ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      throw new PoisonException(Poison.tombstone(eventType));
    }
    try {
      return deserializer.deserialize(record.topic(), record.headers(), record.value());
    } catch (RuntimeException e) {
      throw new PoisonException(Poison.undecodable(eventType, e));
    }
  }

  /** Where {@code record} was read, for its dead letter. */
  public static SourceRecord source(ConsumerRecord<String, ?> record) {
    return new SourceRecord(record.topic(), record.partition(), record.offset(), record.key());
  }
}
