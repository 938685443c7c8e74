package io.spineflow.platform;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.IndexedRecord;

/**
 * An Avro event as plain JSON values (maps in schema field order, lists, strings, numbers,
 * booleans, null), for people and tools outside Kafka: a union is its value (not Avro JSON's {@code
 * {"int": 5}}), a timestamp is ISO-8601 text, an enum its symbol, bytes Base64. One way for every
 * consumer that shows or exports an event (export's {@code result.json}, the dashboard's study
 * page), so both say the same.
 */
public final class AvroTree {
  private AvroTree() {}

  /** {@code record}'s fields, in schema order, as plain values. */
  public static Map<String, Object> of(IndexedRecord record) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Schema.Field field : record.getSchema().getFields()) {
      out.put(field.name(), value(record.get(field.pos())));
    }
    return out;
  }

  private static Object value(Object value) {
    if (value == null || value instanceof Boolean || value instanceof Number) {
      return value;
    }
    if (value instanceof IndexedRecord record) {
      return of(record);
    }
    if (value instanceof CharSequence || value instanceof GenericEnumSymbol<?>) {
      return value.toString();
    }
    if (value instanceof Enum<?> e) {
      return e.name();
    }
    if (value instanceof Instant instant) {
      return instant.toString();
    }
    if (value instanceof ByteBuffer bytes) {
      ByteBuffer copy = bytes.duplicate();
      byte[] raw = new byte[copy.remaining()];
      copy.get(raw);
      return Base64.getEncoder().encodeToString(raw);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(k.toString(), value(v)));
      return out;
    }
    if (value instanceof Collection<?> items) {
      List<Object> out = new ArrayList<>(items.size());
      items.forEach(item -> out.add(value(item)));
      return out;
    }
    return value.toString();
  }
}
