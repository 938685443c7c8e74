package io.spineflow.ingest;

import io.spineflow.events.ClaimCheck;
import io.spineflow.events.Sequence;
import io.spineflow.events.StudySource;
import io.spineflow.imaging.labels.LabelCoverage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * One part of a study waiting in the {@code pending-parts} store for its other part: the record's
 * value and headers as received, where it came from and when.
 *
 * @param value the raw {@code .mha} bytes; empty when {@code metadata.claim()} holds them
 * @param timestamp the upload record's timestamp
 */
record PendingPart(UploadMetadata metadata, byte[] value, Origin origin, long timestamp) {

  /** True when {@code other} carries the same bytes (inline or by the same claim check). */
  boolean sameContent(PendingPart other) {
    ClaimCheck a = metadata.claim();
    ClaimCheck b = other.metadata.claim();
    if (a != null || b != null) {
      return a != null && b != null && a.getSha256().equals(b.getSha256());
    }
    return Arrays.equals(value, other.value);
  }

  /** The store's value serde: a versioned binary layout, written and read only by ingest. */
  static Serde<PendingPart> serde() {
    return Serdes.serdeFrom(new Writer(), new Reader());
  }

  // Version 2 added the label declaration; version 1 parts (written before) are still read.
  private static final byte VERSION = 2;
  private static final byte VERSION_WITHOUT_LABEL_COVERAGE = 1;

  private static final class Writer implements Serializer<PendingPart> {
    @Override
    public byte[] serialize(String topic, PendingPart part) {
      if (part == null) {
        return null;
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(part.value.length + 512);
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        UploadMetadata m = part.metadata;
        out.writeByte(VERSION);
        out.writeUTF(m.sequence().name());
        out.writeUTF(m.part().name());
        out.writeBoolean(m.expectMask());
        writeNullable(out, m.sourceName());
        out.writeUTF(m.source().name());
        out.writeBoolean(m.claim() != null);
        if (m.claim() != null) {
          out.writeUTF(m.claim().getUri());
          out.writeUTF(m.claim().getSha256());
          out.writeLong(m.claim().getSizeBytes());
        }
        LabelCoverage coverage = m.labelCoverage();
        out.writeBoolean(coverage != null);
        if (coverage != null) {
          out.writeUTF(coverage.classesDeclaration());
          out.writeUTF(coverage.extentDeclaration());
        }
        writeNullable(out, part.origin.topic());
        out.writeInt(part.origin.partition() == null ? -1 : part.origin.partition());
        out.writeLong(part.origin.offset() == null ? -1 : part.origin.offset());
        out.writeUTF(part.origin.location());
        out.writeLong(part.timestamp);
        out.writeInt(part.value.length);
        out.write(part.value);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return bytes.toByteArray();
    }
  }

  private static final class Reader implements Deserializer<PendingPart> {
    @Override
    public PendingPart deserialize(String topic, byte[] data) {
      if (data == null) {
        return null;
      }
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
        byte version = in.readByte();
        if (version != VERSION && version != VERSION_WITHOUT_LABEL_COVERAGE) {
          throw new SerializationException("unknown pending-part layout version " + version);
        }
        Sequence sequence = Sequence.valueOf(in.readUTF());
        UploadPart part = UploadPart.valueOf(in.readUTF());
        boolean expectMask = in.readBoolean();
        String sourceName = readNullable(in);
        StudySource source = StudySource.valueOf(in.readUTF());
        ClaimCheck claim = null;
        if (in.readBoolean()) {
          claim =
              ClaimCheck.newBuilder()
                  .setUri(in.readUTF())
                  .setSha256(in.readUTF())
                  .setSizeBytes(in.readLong())
                  .build();
        }
        LabelCoverage coverage = null;
        if (version >= VERSION && in.readBoolean()) {
          coverage = LabelCoverage.parse(in.readUTF(), in.readUTF());
        }
        String originTopic = readNullable(in);
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
        return new PendingPart(
            new UploadMetadata(sequence, part, expectMask, sourceName, source, claim, coverage),
            value,
            origin,
            timestamp);
      } catch (IOException | IllegalArgumentException e) {
        throw new SerializationException("corrupt pending part", e);
      }
    }
  }

  private static void writeNullable(DataOutputStream out, String text) throws IOException {
    out.writeBoolean(text != null);
    if (text != null) {
      out.writeUTF(text);
    }
  }

  private static String readNullable(DataInputStream in) throws IOException {
    return in.readBoolean() ? in.readUTF() : null;
  }
}
