package io.spineflow.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.events.RetrainOrigin;
import io.spineflow.events.RetrainRequest;
import io.spineflow.events.TrainingPhase;
import io.spineflow.events.TrainingProgress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * Every enum has a default symbol, so a symbol added by a newer writer reads as that default in an
 * older reader (Avro's enum resolution) instead of failing to decode and becoming a poison record.
 */
class EnumDefaultsTest {
  private static final Path AVRO = Path.of("src/main/avro");

  /** Every schema file's generated type (file name = type name, namespace io.spineflow.events). */
  private static List<Schema> everySchema() throws IOException {
    List<Schema> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(AVRO)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".avsc")).sorted().toList()) {
        String name = f.getFileName().toString().replace(".avsc", "");
        try {
          out.add(SpecificData.get().getSchema(Class.forName("io.spineflow.events." + name)));
        } catch (ClassNotFoundException e) {
          throw new AssertionError(f + " has no generated class io.spineflow.events." + name, e);
        }
      }
    }
    return out;
  }

  private static void collectEnums(Schema s, Set<String> seen, List<Schema> enums) {
    switch (s.getType()) {
      case ENUM -> {
        if (seen.add(s.getFullName())) {
          enums.add(s);
        }
      }
      case RECORD -> {
        if (seen.add(s.getFullName())) {
          s.getFields().forEach(f -> collectEnums(f.schema(), seen, enums));
        }
      }
      case ARRAY -> collectEnums(s.getElementType(), seen, enums);
      case MAP -> collectEnums(s.getValueType(), seen, enums);
      case UNION -> s.getTypes().forEach(t -> collectEnums(t, seen, enums));
      default -> {}
    }
  }

  @Test
  void everyEnumInEverySchemaHasADefault() throws IOException {
    List<Schema> schemas = everySchema();
    assertThat(schemas).hasSizeGreaterThanOrEqualTo(16);
    List<Schema> enums = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    schemas.forEach(s -> collectEnums(s, seen, enums));
    assertThat(enums)
        .extracting(Schema::getName)
        .contains(
            "TrainingPhase",
            "RetrainOrigin",
            "AnnouncementKind",
            "StudySource",
            "Sequence",
            "LabelledClass",
            "LabelExtent");
    assertThat(enums)
        .allSatisfy(
            e -> {
              assertThat(e.getEnumDefault()).as(e.getFullName() + " has a default").isNotNull();
              assertThat(e.getEnumSymbols()).contains(e.getEnumDefault());
            });
  }

  @Test
  void aTrainingPhaseFromANewerWriterReadsAsProgress() {
    TrainingProgress current =
        TrainingProgress.newBuilder()
            .setModelName("spine-unet")
            .setRunId("r1")
            .setPhase(TrainingPhase.FAILED)
            .setEpoch(1)
            .setStep(2)
            .setTotalSteps(3)
            .setValidationDice(Map.of())
            .setMessage("")
            .setAt(Instant.EPOCH)
            .build();
    TrainingProgress read = throughNewerWriter(current, "TrainingPhase", "phase", "PAUSED");
    assertThat(read.getPhase()).isEqualTo(TrainingPhase.PROGRESS);
    assertThat(read.getRunId()).isEqualTo("r1");
  }

  @Test
  void aRetrainOriginFromANewerWriterReadsAsOther() {
    RetrainRequest current =
        RetrainRequest.newBuilder()
            .setRequestId("q1")
            .setModelName("spine-unet")
            .setRequestedBy("ops")
            .setOrigin(RetrainOrigin.CLI)
            .setReason("test")
            .setRequestedAt(Instant.EPOCH)
            .build();
    RetrainRequest read = throughNewerWriter(current, "RetrainOrigin", "origin", "PAGER");
    assertThat(read.getOrigin()).isEqualTo(RetrainOrigin.OTHER);
    assertThat(read.getRequestId()).isEqualTo("q1");
  }

  /**
   * Writes {@code record} with a newer writer schema whose enum {@code enumName} has the extra
   * symbol {@code symbol}, set in field {@code field}; reads it back with the current (reader)
   * class, the writer schema coming from the header as on the wire.
   */
  @SuppressWarnings("unchecked")
  private static <T extends SpecificRecord> T throughNewerWriter(
      T record, String enumName, String field, String symbol) {
    Schema current = record.getSchema();
    String json = current.toString();
    String marker = "\"name\":\"" + enumName + "\"";
    int at = json.indexOf(marker);
    int symbolsEnd = json.indexOf(']', json.indexOf("\"symbols\"", at));
    Schema newer =
        new Schema.Parser()
            .parse(
                json.substring(0, symbolsEnd) + ",\"" + symbol + "\"" + json.substring(symbolsEnd));
    assertThat(newer.getField(field).schema().getEnumSymbols()).contains(symbol);

    // The record as the newer writer holds it, with the new symbol.
    RecordHeaders headers = new RecordHeaders();
    byte[] bytes =
        AvroSerde.of((Class<T>) record.getClass()).serializer().serialize("t", headers, record);
    GenericData.Record generic =
        AvroSerde.generic(newer).deserializer().deserialize("t", headers, bytes);
    generic.put(field, new GenericData.EnumSymbol(newer.getField(field).schema(), symbol));
    RecordHeaders newerHeaders = new RecordHeaders();
    byte[] written = AvroSerde.generic(newer).serializer().serialize("t", newerHeaders, generic);

    return AvroSerde.of((Class<T>) record.getClass())
        .deserializer()
        .deserialize("t", newerHeaders, written);
  }
}
