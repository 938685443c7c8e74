package io.spineflow.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.events.LabelScope;
import io.spineflow.events.LabelledClass;
import io.spineflow.events.Sequence;
import io.spineflow.events.Slice;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * The partial-label fields evolve compatibly: slices written before them read as complete labels,
 * an older reader ignores them, and a class symbol from a newer writer reads as {@code OTHER}.
 */
class PartialLabelEvolutionTest {

  private static Slice slice(LabelScope scope) {
    return Slice.newBuilder()
        .setStudyUid("s-1")
        .setSliceIndex(3)
        .setSequence(Sequence.T2)
        .setWidth(1)
        .setHeight(1)
        .setPixels(ByteBuffer.wrap(new byte[4]))
        .setLabel(ByteBuffer.wrap(new byte[] {3}))
        .setLabelScope(scope)
        .setPixelSpacing(List.of(1.0, 1.0))
        .setSliceThickness(4.0)
        .setPixelToPhysical(List.of(1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0))
        .setSourceSliceIndex(3)
        .setSagittalAxis(0)
        .setStudyReceivedAt(java.time.Instant.EPOCH)
        .setPreprocessedAt(java.time.Instant.EPOCH)
        .build();
  }

  /** The Slice schema as it was before the partial-label fields. */
  private static Schema sliceWithoutScope() {
    Schema current = Slice.getClassSchema();
    List<Schema.Field> fields =
        current.getFields().stream()
            .filter(f -> !f.name().equals("labelScope"))
            .map(f -> new Schema.Field(f, f.schema()))
            .toList();
    return Schema.createRecord(
        current.getName(), current.getDoc(), current.getNamespace(), false, fields);
  }

  /** A specific record's field value as a generic record holds it. */
  private static Object generic(Object value, Schema schema) {
    if (value instanceof java.time.Instant instant) {
      return instant.toEpochMilli();
    }
    if (value instanceof Enum<?> symbol) {
      return new GenericData.EnumSymbol(schema, symbol.name());
    }
    return value;
  }

  @Test
  void olderSlicesReadAsCompleteLabels() {
    Schema old = sliceWithoutScope();
    GenericData.Record record = new GenericData.Record(old);
    Slice template = slice(null);
    for (Schema.Field f : old.getFields()) {
      record.put(f.name(), generic(template.get(f.name()), f.schema()));
    }
    RecordHeaders headers = new RecordHeaders();
    byte[] bytes = AvroSerde.generic(old).serializer().serialize("slices", headers, record);

    Slice read = AvroSerde.of(Slice.class).deserializer().deserialize("slices", headers, bytes);

    assertThat(read.getLabelScope()).isNull();
    assertThat(read.getSliceIndex()).isEqualTo(3);
  }

  @Test
  void anOlderReaderIgnoresTheScope() {
    Slice current = slice(new LabelScope(List.of(LabelledClass.DISCS), 10, 90));
    RecordHeaders headers = new RecordHeaders();
    byte[] bytes = AvroSerde.of(Slice.class).serializer().serialize("slices", headers, current);

    GenericData.Record old =
        AvroSerde.generic(sliceWithoutScope()).deserializer().deserialize("slices", headers, bytes);

    assertThat(old.get("sliceIndex")).isEqualTo(3);
    assertThat(old.getSchema().getField("labelScope")).isNull();
  }

  @Test
  void aClassFromANewerWriterReadsAsOther() {
    String newer =
        Slice.getClassSchema()
            .toString()
            .replace("\"DISCS\",\"OTHER\"", "\"DISCS\",\"RIBS\",\"OTHER\"");
    assertThat(newer).contains("RIBS");
    Schema writer = new Schema.Parser().parse(newer);
    Schema scopeSchema = writer.getField("labelScope").schema().getTypes().get(1);
    Schema classSchema = scopeSchema.getField("classes").schema().getElementType();
    GenericData.Record scope = new GenericData.Record(scopeSchema);
    scope.put(
        "classes",
        List.of(
            new GenericData.EnumSymbol(classSchema, "RIBS"),
            new GenericData.EnumSymbol(classSchema, "DISCS")));
    scope.put("firstRow", 0);
    scope.put("lastRow", 5);
    GenericData.Record record = new GenericData.Record(writer);
    Slice template = slice(null);
    for (Schema.Field f : writer.getFields()) {
      Object value = generic(template.get(f.name()), f.schema());
      record.put(f.name(), f.name().equals("labelScope") ? scope : value);
    }
    record.put("sequence", new GenericData.EnumSymbol(writer.getField("sequence").schema(), "T2"));
    RecordHeaders headers = new RecordHeaders();
    byte[] bytes = AvroSerde.generic(writer).serializer().serialize("slices", headers, record);

    Slice read = AvroSerde.of(Slice.class).deserializer().deserialize("slices", headers, bytes);

    assertThat(read.getLabelScope().getClasses())
        .containsExactly(LabelledClass.OTHER, LabelledClass.DISCS);
  }
}
