package io.spineflow.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spineflow.events.DeadLetter;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** A newer writer is read by an older reader and the reverse, through the real serdes. */
class SchemaEvolutionTest {
  private static final Instant AT = Instant.parse("2026-11-22T10:00:00Z");

  private static Schema v0() throws IOException {
    try (InputStream in =
        SchemaEvolutionTest.class.getResourceAsStream("/evolution/DeadLetter-v0.avsc")) {
      return new Schema.Parser().parse(in);
    }
  }

  @Test
  void olderReaderReadsNewerWriterThroughTheSchemaHeader() throws IOException {
    DeadLetter current =
        DeadLetter.newBuilder()
            .setReasonCode("TRUNCATED_DATA")
            .setStage("ingest")
            .setField("ElementDataFile")
            .setLimit("65536 bytes declared")
            .setMessage("data ends after 100 bytes")
            .setStudyUid("s-1")
            .setAt(AT)
            .build();
    RecordHeaders headers = new RecordHeaders();
    byte[] bytes =
        AvroSerde.of(DeadLetter.class).serializer().serialize("deadletter", headers, current);

    GenericData.Record old =
        AvroSerde.generic(v0()).deserializer().deserialize("deadletter", headers, bytes);

    assertThat(old.get("reasonCode").toString()).isEqualTo("TRUNCATED_DATA");
    assertThat(old.get("message").toString()).isEqualTo("data ends after 100 bytes");
    assertThat(old.get("retired").toString()).isEqualTo("n/a");
    assertThat(old.getSchema().getField("field")).isNull();
  }

  @Test
  void anAuditReaderFromBeforeErasureReadsItAsUnknown() {
    io.spineflow.events.AuditEvent erasure =
        io.spineflow.events.AuditEvent.newBuilder()
            .setAuditId("a-1")
            .setAction(io.spineflow.events.AuditAction.ERASURE)
            .setOutcome(io.spineflow.events.AuditOutcome.ACCEPTED)
            .setActor("operator:alice")
            .setService("forget")
            .setSubject("sha256:00")
            .setOccurredAt(AT)
            .build();
    RecordHeaders headers = new RecordHeaders();
    byte[] bytes =
        AvroSerde.of(io.spineflow.events.AuditEvent.class)
            .serializer()
            .serialize("audit", headers, erasure);
    // The schema as it was before ERASURE was appended to the action symbols.
    Schema before =
        new Schema.Parser()
            .parse(
                io.spineflow.events.AuditEvent.getClassSchema()
                    .toString()
                    .replace(",\"ERASURE\"]", "]"));
    assertThat(before.getField("action").schema().getEnumSymbols()).doesNotContain("ERASURE");

    GenericData.Record old =
        AvroSerde.generic(before).deserializer().deserialize("audit", headers, bytes);

    assertThat(old.get("action").toString()).isEqualTo("UNKNOWN");
    assertThat(old.get("subject").toString()).isEqualTo("sha256:00");
  }

  @Test
  void newerReaderReadsOlderWriterAndFillsDefaults() throws IOException {
    Schema v0 = v0();
    GenericData.Record old = new GenericData.Record(v0);
    old.put("reasonCode", "HEADER_TOO_LARGE");
    old.put("stage", "ingest");
    old.put("message", "no ElementDataFile within 65536 bytes");
    old.put("at", AT.toEpochMilli());
    old.put("retired", "gone");
    RecordHeaders headers = new RecordHeaders();
    byte[] bytes = AvroSerde.generic(v0).serializer().serialize("deadletter", headers, old);

    DeadLetter current =
        AvroSerde.of(DeadLetter.class).deserializer().deserialize("deadletter", headers, bytes);

    assertThat(current.getReasonCode()).isEqualTo("HEADER_TOO_LARGE");
    assertThat(current.getAt()).isEqualTo(AT);
    assertThat(current.getField()).isNull();
    assertThat(current.getStudyUid()).isNull();
  }

  @Test
  void unknownWriterWithoutHeaderIsAClearError() throws IOException {
    GenericData.Record old = new GenericData.Record(v0());
    old.put("reasonCode", "X");
    old.put("stage", "ingest");
    old.put("message", "m");
    old.put("at", 0L);
    old.put("retired", "r");
    byte[] bytes = AvroSerde.generic(v0()).serializer().serialize("deadletter", old);

    assertThatThrownBy(
            () -> AvroSerde.of(DeadLetter.class).deserializer().deserialize("deadletter", bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("unknown schema fingerprint")
        .hasMessageContaining(AvroSerde.SCHEMA_HEADER);
  }

  @Test
  void nonAvroBytesAreRejectedWithAReason() {
    assertThatThrownBy(
            () ->
                AvroSerde.of(DeadLetter.class)
                    .deserializer()
                    .deserialize("deadletter", "ObjectType = Image".getBytes()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("not Avro single-object encoded");
  }
}
