package io.spineflow.schemas;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro serde that needs no schema registry. Values are written in Avro's single-object encoding
 * (magic, 8-byte schema fingerprint, body), and every record carries its writer schema, deflated,
 * in the {@value #SCHEMA_HEADER} header. A reader resolves the writer schema by fingerprint from
 * its own schema, or from the header when the writer is newer (or older) than the reader, and then
 * applies Avro schema resolution: new fields with defaults are filled, removed fields are skipped.
 *
 * <p>Instances are immutable and thread-safe apart from Avro's per-thread decoder buffers.
 *
 * @param <T> a generated record class, or {@link GenericData.Record} for {@link #generic}
 */
public final class AvroSerde<T> implements Serde<T> {
  /** Kafka header holding the deflated JSON of the writer schema. */
  public static final String SCHEMA_HEADER = "spineflow.schema";

  private static final int SINGLE_OBJECT_PREFIX = 10;

  private final Schema schema;
  private final GenericData model;
  private final byte[] deflatedSchema;

  private AvroSerde(Schema schema, GenericData model) {
    this.schema = schema;
    this.model = model;
    this.deflatedSchema = deflate(schema.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Serde for a generated (specific) record class. */
  public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
    return new AvroSerde<>(SpecificData.get().getSchema(type), SpecificData.get());
  }

  /** Serde of generic records read with {@code readerSchema} (tools, tests, other versions). */
  public static AvroSerde<GenericData.Record> generic(Schema readerSchema) {
    return new AvroSerde<>(readerSchema, GenericData.get());
  }

  public Schema schema() {
    return schema;
  }

  @Override
  public Serializer<T> serializer() {
    BinaryMessageEncoder<T> encoder = new BinaryMessageEncoder<>(model, schema);
    return new Serializer<>() {
      @Override
      public byte[] serialize(String topic, T data) {
        return serialize(topic, null, data);
      }

      @Override
      public byte[] serialize(String topic, Headers headers, T data) {
        if (data == null) {
          return null;
        }
        if (headers != null) {
          headers.remove(SCHEMA_HEADER);
          headers.add(SCHEMA_HEADER, deflatedSchema);
        }
        try {
          ByteBuffer buffer = encoder.encode(data);
          byte[] out = new byte[buffer.remaining()];
          buffer.get(out);
          return out;
        } catch (IOException e) {
          throw new SerializationException(
              "cannot encode " + schema.getFullName() + " for topic " + topic, e);
        }
      }
    };
  }

  @Override
  public Deserializer<T> deserializer() {
    SchemaStore.Cache writers = new SchemaStore.Cache();
    writers.addSchema(schema);
    BinaryMessageDecoder<T> decoder = new BinaryMessageDecoder<>(model, schema, writers);
    return new Deserializer<>() {
      @Override
      public T deserialize(String topic, byte[] data) {
        return deserialize(topic, null, data);
      }

      @Override
      public T deserialize(String topic, Headers headers, byte[] data) {
        if (data == null) {
          return null;
        }
        long fingerprint = fingerprintOf(data, topic);
        if (writers.findByFingerprint(fingerprint) == null) {
          Schema writer = writerSchemaFromHeader(headers, topic, fingerprint);
          writers.addSchema(writer);
          decoder.addSchema(writer);
        }
        try {
          return decoder.decode(data);
        } catch (IOException | RuntimeException e) {
          throw new SerializationException(
              "cannot decode " + schema.getFullName() + " from topic " + topic, e);
        }
      }
    };
  }

  private Schema writerSchemaFromHeader(Headers headers, String topic, long fingerprint) {
    Header header = headers == null ? null : headers.lastHeader(SCHEMA_HEADER);
    if (header == null) {
      throw new SchemaHeaderException(
          "record on "
              + topic
              + " was written with unknown schema fingerprint "
              + Long.toHexString(fingerprint)
              + " and has no "
              + SCHEMA_HEADER
              + " header");
    }
    Schema writer;
    try {
      writer =
          new Schema.Parser().parse(new String(inflate(header.value()), StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      throw new SchemaHeaderException(
          "record on " + topic + ": " + SCHEMA_HEADER + " is not a deflated Avro schema", e);
    }
    if (SchemaNormalization.parsingFingerprint64(writer) != fingerprint) {
      throw new SchemaHeaderException(
          "record on " + topic + ": " + SCHEMA_HEADER + " does not match the record's fingerprint");
    }
    return writer;
  }

  private static long fingerprintOf(byte[] data, String topic) {
    if (data.length < SINGLE_OBJECT_PREFIX || data[0] != (byte) 0xC3 || data[1] != 0x01) {
      throw new SerializationException(
          "record on " + topic + " is not Avro single-object encoded (bad magic or too short)");
    }
    return ByteBuffer.wrap(data, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  private static byte[] deflate(byte[] input) {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
    try {
      deflater.setInput(input);
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(input.length / 3 + 16);
      byte[] chunk = new byte[4096];
      while (!deflater.finished()) {
        out.write(chunk, 0, deflater.deflate(chunk));
      }
      return out.toByteArray();
    } finally {
      deflater.end();
    }
  }

  /** Schemas are small; a header that inflates past this is refused (decompression bomb). */
  private static final int MAX_SCHEMA_BYTES = 1 << 20;

  private static byte[] inflate(byte[] input) {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(input);
      ByteArrayOutputStream out = new ByteArrayOutputStream(input.length * 4);
      byte[] chunk = new byte[4096];
      while (!inflater.finished()) {
        int n = inflater.inflate(chunk);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new SchemaHeaderException(SCHEMA_HEADER + " header is truncated");
        }
        out.write(chunk, 0, n);
        if (out.size() > MAX_SCHEMA_BYTES) {
          throw new SchemaHeaderException(
              SCHEMA_HEADER + " header inflates past " + MAX_SCHEMA_BYTES + " bytes");
        }
      }
      return out.toByteArray();
    } catch (DataFormatException e) {
      throw new SchemaHeaderException(SCHEMA_HEADER + " header is corrupt", e);
    } finally {
      inflater.end();
    }
  }
}
