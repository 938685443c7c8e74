package io.spineflow.dashboard;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.kstream.internals.TimeWindow;

/**
 * The rows one instance sends another for {@code /internal/stores}: a count, then per row the key,
 * the window's start and end ({@code -1} for a key-value store) and the value as the store's serde
 * writes it. Binary, because a gallery entry is a whole slice (up to a megabyte) that JSON or
 * Base64 would only inflate.
 */
final class StoreRows {
  private static final int MAGIC = 0x53465231; // "SFR1"
  private static final int MAX_KEY_BYTES = 64 << 10;

  private StoreRows() {}

  /** Rows of a key-value store. */
  static <V> byte[] encodeKeyValues(String store, List<KeyValue<String, V>> rows, Serde<V> serde) {
    List<Row> out = new ArrayList<>(rows.size());
    for (KeyValue<String, V> kv : rows) {
      out.add(new Row(kv.key, -1, -1, serde.serializer().serialize(store, kv.value)));
    }
    return encode(out);
  }

  /** Rows of a window store. */
  static <V> byte[] encodeWindows(
      String store, List<KeyValue<Windowed<String>, V>> rows, Serde<V> serde) {
    List<Row> out = new ArrayList<>(rows.size());
    for (KeyValue<Windowed<String>, V> kv : rows) {
      out.add(
          new Row(
              kv.key.key(),
              kv.key.window().start(),
              kv.key.window().end(),
              serde.serializer().serialize(store, kv.value)));
    }
    return encode(out);
  }

  static <V> List<KeyValue<String, V>> decodeKeyValues(String store, byte[] body, Serde<V> serde) {
    List<KeyValue<String, V>> out = new ArrayList<>();
    for (Row row : decode(body)) {
      out.add(KeyValue.pair(row.key(), serde.deserializer().deserialize(store, row.value())));
    }
    return out;
  }

  static <V> List<KeyValue<Windowed<String>, V>> decodeWindows(
      String store, byte[] body, Serde<V> serde) {
    List<KeyValue<Windowed<String>, V>> out = new ArrayList<>();
    for (Row row : decode(body)) {
      out.add(
          KeyValue.pair(
              new Windowed<>(row.key(), new TimeWindow(row.start(), row.end())),
              serde.deserializer().deserialize(store, row.value())));
    }
    return out;
  }

  private record Row(String key, long start, long end, byte[] value) {}

  private static byte[] encode(List<Row> rows) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeInt(rows.size());
      for (Row row : rows) {
        byte[] key = row.key().getBytes(StandardCharsets.UTF_8);
        out.writeInt(key.length);
        out.write(key);
        out.writeLong(row.start());
        out.writeLong(row.end());
        out.writeInt(row.value().length);
        out.write(row.value());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    return bytes.toByteArray();
  }

  private static List<Row> decode(byte[] body) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(body))) {
      if (in.readInt() != MAGIC) {
        throw new IOException("not store rows (wrong magic)");
      }
      int count = in.readInt();
      List<Row> rows = new ArrayList<>(Math.min(count, 1024));
      for (int i = 0; i < count; i++) {
        String key = new String(bytes(in, MAX_KEY_BYTES), StandardCharsets.UTF_8);
        long start = in.readLong();
        long end = in.readLong();
        rows.add(new Row(key, start, end, bytes(in, body.length)));
      }
      return rows;
    } catch (IOException e) {
      throw new IllegalArgumentException("a peer sent rows that cannot be read: " + e, e);
    }
  }

  private static byte[] bytes(DataInputStream in, int max) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > max) {
      throw new IOException("a length of " + length + " bytes (at most " + max + ")");
    }
    byte[] bytes = in.readNBytes(length);
    if (bytes.length != length) {
      throw new java.io.EOFException("rows end inside a value");
    }
    return bytes;
  }
}
