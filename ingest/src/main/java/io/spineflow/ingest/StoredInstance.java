package io.spineflow.ingest;

import io.spineflow.events.ClaimCheck;
import io.spineflow.events.StudySource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * One DICOM instance kept in the {@code dicom-instances} store until its series is assembled (and,
 * after that, for {@code ingest.dicom.series.retention}, so a late instance makes a complete new
 * revision): its bytes as received (or their claim check), their SHA-256 and where they came from.
 *
 * @param sha256 hex SHA-256 of the instance's bytes: a re-sent identical instance is a duplicate
 * @param value the Part 10 bytes; empty when {@code claim} holds them
 * @param claim where the bytes are, or null
 * @param timestamp the upload record's timestamp
 */
record StoredInstance(
    String sha256,
    byte[] value,
    ClaimCheck claim,
    StudySource source,
    Origin origin,
    long timestamp) {

  static Serde<StoredInstance> serde() {
    return Serdes.serdeFrom(new Writer(), new Reader());
  }

  private static final byte VERSION = 1;

  private static final class Writer implements Serializer<StoredInstance> {
    @Override
    public byte[] serialize(String topic, StoredInstance s) {
      if (s == null) {
        return null;
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.value.length + 256);
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        out.writeByte(VERSION);
        out.writeUTF(s.sha256);
        out.writeBoolean(s.claim != null);
        if (s.claim != null) {
          out.writeUTF(s.claim.getUri());
          out.writeUTF(s.claim.getSha256());
          out.writeLong(s.claim.getSizeBytes());
        }
        out.writeUTF(s.source.name());
        out.writeBoolean(s.origin.topic() != null);
        if (s.origin.topic() != null) {
          out.writeUTF(s.origin.topic());
        }
        out.writeInt(s.origin.partition() == null ? -1 : s.origin.partition());
        out.writeLong(s.origin.offset() == null ? -1 : s.origin.offset());
        out.writeUTF(s.origin.location());
        out.writeLong(s.timestamp);
        out.writeInt(s.value.length);
        out.write(s.value);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return bytes.toByteArray();
    }
  }

  private static final class Reader implements Deserializer<StoredInstance> {
    @Override
    public StoredInstance deserialize(String topic, byte[] data) {
      if (data == null) {
        return null;
      }
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
        byte version = in.readByte();
        if (version != VERSION) {
          throw new SerializationException("unknown stored-instance layout version " + version);
        }
        String sha = in.readUTF();
        ClaimCheck claim = null;
        if (in.readBoolean()) {
          claim =
              ClaimCheck.newBuilder()
                  .setUri(in.readUTF())
                  .setSha256(in.readUTF())
                  .setSizeBytes(in.readLong())
                  .build();
        }
        StudySource source = StudySource.valueOf(in.readUTF());
        String originTopic = in.readBoolean() ? in.readUTF() : null;
        int partition = in.readInt();
        long offset = in.readLong();
        String location = in.readUTF();
        long timestamp = in.readLong();
        byte[] value = new byte[in.readInt()];
        in.readFully(value);
        Origin origin =
            new Origin(
                originTopic,
                partition < 0 ? null : partition,
                offset < 0 ? null : offset,
                location);
        return new StoredInstance(sha, value, claim, source, origin, timestamp);
      } catch (IOException | IllegalArgumentException e) {
        throw new SerializationException("corrupt stored instance", e);
      }
    }
  }
}
