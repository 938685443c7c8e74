package io.spineflow.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.events.ClassVolumeMl;
import io.spineflow.events.LevelResult;
import io.spineflow.events.QualitySummary;
import io.spineflow.events.Sequence;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** Events as plain JSON values: unions as their value, timestamps as text, fields in order. */
class AvroTreeTest {

  @Test
  void nullableUnionsArraysMapsAndRecordsBecomePlainValues() {
    LevelResult level =
        LevelResult.newBuilder()
            .setOrder(0)
            .setName("L5/S1")
            .setKind("disc")
            .setFound(true)
            .setSliceIndex(7)
            .setAnteriorMm(11.5)
            .setMiddleMm(null)
            .setFlags(List.of("NOT_MEASURED: middle"))
            .build();
    Map<String, Object> tree = AvroTree.of(level);
    assertThat(tree.keySet())
        .startsWith("order", "name", "kind", "found", "sliceIndex", "anteriorMm", "middleMm");
    assertThat(tree)
        .containsEntry("name", "L5/S1")
        .containsEntry("sliceIndex", 7)
        .containsEntry("anteriorMm", 11.5)
        .containsEntry("middleMm", null)
        .containsEntry("flags", List.of("NOT_MEASURED: middle"));

    QualitySummary quality = new QualitySummary(3, null, 0, 1, Map.of("discs", 0.9));
    assertThat(AvroTree.of(quality))
        .containsEntry("meanMaxProbability", null)
        .containsEntry("meanDice", Map.of("discs", 0.9));
    assertThat(AvroTree.of(new ClassVolumeMl("discs", 201, 10L, 0.5)))
        .containsEntry("voxels", 10L)
        .containsEntry("millilitres", 0.5);
  }

  @Test
  void timestampsAreIsoTextAndEnumsTheirSymbol() {
    GenericRecord record =
        new GenericData.Record(
            SchemaBuilder.record("R")
                .fields()
                .name("at")
                .type(
                    org.apache.avro.LogicalTypes.timestampMillis()
                        .addToSchema(
                            org.apache.avro.Schema.create(org.apache.avro.Schema.Type.LONG)))
                .noDefault()
                .name("sequence")
                .type(Sequence.getClassSchema())
                .noDefault()
                .endRecord());
    record.put("at", Instant.parse("2026-12-06T20:00:00Z"));
    record.put("sequence", Sequence.T2_SPACE);
    assertThat(AvroTree.of(record))
        .containsEntry("at", "2026-12-06T20:00:00Z")
        .containsEntry("sequence", "T2_SPACE");
  }
}
