package io.spineflow.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spineflow.events.AnnouncementKind;
import io.spineflow.events.DeadLetter;
import io.spineflow.events.ModelAnnouncement;
import io.spineflow.events.ModelArchitecture;
import io.spineflow.events.ModelLineage;
import io.spineflow.events.ModelQualityFloor;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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

  /** The announcement schema as it was before {@code qualityFloor} and {@code highestVersion}. */
  private static Schema announcementBeforeFloor() {
    Schema current = ModelAnnouncement.getClassSchema();
    List<Schema.Field> fields =
        current.getFields().stream()
            .filter(f -> !f.name().equals("qualityFloor") && !f.name().equals("highestVersion"))
            .map(f -> new Schema.Field(f, f.schema()))
            .toList();
    Schema before =
        Schema.createRecord(
            current.getName(), current.getDoc(), current.getNamespace(), false, fields);
    assertThat(before.getField("qualityFloor")).isNull();
    return before;
  }

  private static ModelAnnouncement announcement(ModelQualityFloor floor) {
    return ModelAnnouncement.newBuilder()
        .setModelName("spine-unet")
        .setVersion(3)
        .setLocation("blob:spine-unet/v3")
        .setSha256("ab".repeat(32))
        .setArchitecture(
            ModelArchitecture.newBuilder()
                .setVariant("modified-unet")
                .setBaseWidth(8)
                .setDepth(3)
                .setBottleneckChannels(64)
                .setInputHeight(64)
                .setInputWidth(64)
                .setClasses(4)
                .setDropout(0.1)
                .build())
        .setValidationMetrics(Map.of("dice.mean", 0.8))
        .setLineage(
            ModelLineage.newBuilder()
                .setTrainingStudies(List.of("t"))
                .setValidationStudies(List.of("v"))
                .setSliceOffsets(Map.of())
                .setSeed(1)
                .build())
        .setKind(AnnouncementKind.PROMOTED)
        .setAnnouncedAt(AT)
        .setQualityFloor(floor)
        .setHighestVersion(floor == null ? null : 4)
        .build();
  }

  @Test
  void anAnnouncementFromBeforeTheQualityFloorReadsWithNoFloor() {
    GenericData.Record old = new GenericData.Record(announcementBeforeFloor());
    ModelAnnouncement current = announcement(null);
    for (Schema.Field f : old.getSchema().getFields()) {
      old.put(f.name(), GenericData.get().deepCopy(f.schema(), current.get(f.name())));
    }
    old.put("announcedAt", AT.toEpochMilli());
    RecordHeaders headers = new RecordHeaders();
    byte[] bytes =
        AvroSerde.generic(announcementBeforeFloor()).serializer().serialize("models", headers, old);

    ModelAnnouncement read =
        AvroSerde.of(ModelAnnouncement.class).deserializer().deserialize("models", headers, bytes);

    assertThat(read.getQualityFloor()).isNull();
    assertThat(read.getHighestVersion()).isNull();
    assertThat(read.getVersion()).isEqualTo(3);
    assertThat(read.getAnnouncedAt()).isEqualTo(AT);
  }

  @Test
  void aReaderFromBeforeTheQualityFloorReadsAnAnnouncementCarryingOne() {
    ModelQualityFloor floor =
        ModelQualityFloor.newBuilder()
            .setMeanDice(0.8)
            .setClassDice(Map.of("discs", 0.7))
            .setReferenceStudies(List.of("1.2.3"))
            .setSetByVersion(2)
            .setRaisedByVersion(3)
            .setUpdatedAt(AT)
            .build();
    RecordHeaders headers = new RecordHeaders();
    byte[] bytes =
        AvroSerde.of(ModelAnnouncement.class)
            .serializer()
            .serialize("models", headers, announcement(floor));

    GenericData.Record old =
        AvroSerde.generic(announcementBeforeFloor())
            .deserializer()
            .deserialize("models", headers, bytes);
    ModelAnnouncement current =
        AvroSerde.of(ModelAnnouncement.class).deserializer().deserialize("models", headers, bytes);

    assertThat(old.get("version")).isEqualTo(3);
    assertThat(old.get("sha256").toString()).isEqualTo("ab".repeat(32));
    assertThat(current.getQualityFloor()).isEqualTo(floor);
    assertThat(current.getHighestVersion()).isEqualTo(4);
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
