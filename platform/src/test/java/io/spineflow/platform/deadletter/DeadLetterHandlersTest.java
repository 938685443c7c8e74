package io.spineflow.platform.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.events.DeadLetter;
import io.spineflow.events.RetrainOrigin;
import io.spineflow.events.RetrainRequest;
import io.spineflow.schemas.AvroSerde;
import io.spineflow.schemas.Topic;
import io.spineflow.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each poison kind on a topology that reads {@code retrain} with a {@link StrictSerde}: one dead
 * letter with its reason, field and limit, and the next valid record still goes through.
 */
class DeadLetterHandlersTest {
  private final Topics topics = new Topics("", 1);
  private final Topic<String, RetrainRequest> retrain = topics.retrain();
  private final List<DeadLetter> letters = new ArrayList<>();
  private final List<String> keys = new ArrayList<>();
  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> input;
  private TestOutputTopic<String, String> output;

  // Refuses one output value, as a serialiser does on an output it cannot encode.
  private final Serializer<String> refusing =
      (topic, value) -> {
        if (value.equals("unserialisable")) {
          throw new SerializationException("cannot encode " + value);
        }
        return value.getBytes(StandardCharsets.UTF_8);
      };

  @BeforeEach
  void start() {
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(retrain.name(), Consumed.with(Serdes.String(), StrictSerde.values(retrain)))
        .mapValues(
            r -> {
              if (r.getRequestedBy().equals("boom")) {
                throw new PoisonException(
                    Poison.invalid("requestedBy", "not boom", "requested by boom"));
              }
              if (r.getRequestedBy().equals("bug")) {
                throw new IllegalStateException("a bug");
              }
              return r.getRequestedBy();
            })
        .to(
            "out",
            Produced.with(Serdes.String(), Serdes.serdeFrom(refusing, new StringDeserializer())));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "poison-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    DeadLetterHandlers.install(
        props,
        "test",
        (key, letter) -> {
          keys.add(key);
          letters.add(letter);
        });
    driver = new TopologyTestDriver(builder.build(), props);
    input =
        driver.createInputTopic(
            retrain.name(), new StringSerializer(), Serdes.ByteArray().serializer());
    output =
        driver.createOutputTopic(
            "out", Serdes.String().deserializer(), Serdes.String().deserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  private byte[] valid(String by, RecordHeaders headers) {
    RetrainRequest request =
        RetrainRequest.newBuilder()
            .setRequestId("id-" + by)
            .setModelName("m")
            .setRequestedBy(by)
            .setReason("r")
            .setOrigin(RetrainOrigin.CLI)
            .setRequestedAt(Instant.EPOCH)
            .build();
    return retrain.valueSerde().serializer().serialize(retrain.name(), headers, request);
  }

  private DeadLetter onlyLetterAfter(TestRecord<String, byte[]> poison) {
    input.pipeInput(poison);
    input.pipeInput("after", valid("operator", new RecordHeaders()));
    assertThat(output.readValuesToList()).containsExactly("operator");
    assertThat(letters).hasSize(1);
    assertThat(keys).containsExactly(poison.key());
    DeadLetter letter = letters.get(0);
    assertThat(letter.getStage()).isEqualTo("test");
    assertThat(letter.getOriginalTopic()).isEqualTo(retrain.name());
    assertThat(letter.getOriginalLocation()).isEqualTo(retrain.name() + "/0/0");
    return letter;
  }

  @Test
  void garbageBytesAreUndecodable() {
    DeadLetter letter =
        onlyLetterAfter(new TestRecord<>("k", "garbage".getBytes(StandardCharsets.UTF_8)));
    assertThat(letter.getReasonCode()).isEqualTo("UNDECODABLE_VALUE");
    assertThat(letter.getField()).isEqualTo("value");
    assertThat(letter.getLimit()).contains("Avro single-object encoding");
  }

  @Test
  void aTombstoneIsRefused() {
    DeadLetter letter = onlyLetterAfter(new TestRecord<>("k", (byte[]) null));
    assertThat(letter.getReasonCode()).isEqualTo("TOMBSTONE");
    assertThat(letter.getField()).isEqualTo("value");
  }

  @Test
  void anUnknownFingerprintWithoutSchemaHeaderIsASchemaHeaderProblem() {
    byte[] bytes = valid("x", new RecordHeaders());
    bytes[5] ^= 0x5a; // another fingerprint, and no header to resolve it
    DeadLetter letter = onlyLetterAfter(new TestRecord<>("k", bytes));
    assertThat(letter.getReasonCode()).isEqualTo("SCHEMA_HEADER_INVALID");
    assertThat(letter.getField()).isEqualTo(AvroSerde.SCHEMA_HEADER);
  }

  @Test
  void aCorruptSchemaHeaderIsNamed() {
    byte[] bytes = valid("x", new RecordHeaders());
    bytes[5] ^= 0x5a;
    RecordHeaders headers = new RecordHeaders();
    headers.add(AvroSerde.SCHEMA_HEADER, "not deflated".getBytes(StandardCharsets.UTF_8));
    DeadLetter letter = onlyLetterAfter(new TestRecord<>("k", bytes, headers));
    assertThat(letter.getReasonCode()).isEqualTo("SCHEMA_HEADER_INVALID");
  }

  @Test
  void anotherEventsSchemaIsUndecodable() {
    Topic<String, DeadLetter> other = topics.deadletter();
    RecordHeaders headers = new RecordHeaders();
    byte[] bytes =
        other
            .valueSerde()
            .serializer()
            .serialize(
                other.name(),
                headers,
                DeadLetter.newBuilder()
                    .setReasonCode("X")
                    .setStage("s")
                    .setMessage("m")
                    .setAt(Instant.EPOCH)
                    .build());
    DeadLetter letter = onlyLetterAfter(new TestRecord<>("k", bytes, headers));
    assertThat(letter.getReasonCode()).isEqualTo("UNDECODABLE_VALUE");
  }

  @Test
  void anEnumSymbolFromANewerWriterReadsAsTheDefault() {
    // Every enum has a default (EnumDefaultsTest), so a symbol a newer writer added is not poison.
    String json =
        retrain.valueSerde() instanceof AvroSerde<?> avro
            ? avro.schema().toString().replace("\"NEW_DATA\"", "\"NEW_DATA\", \"ROBOT\"")
            : "";
    Schema writer = new Schema.Parser().parse(json);
    GenericData.Record record = new GenericData.Record(writer);
    record.put("requestId", "r");
    record.put("modelName", "m");
    record.put("requestedBy", "robot");
    record.put("origin", new GenericData.EnumSymbol(writer.getField("origin").schema(), "ROBOT"));
    record.put("reason", "r");
    record.put("requestedAt", 0L);
    RecordHeaders headers = new RecordHeaders();
    byte[] bytes =
        AvroSerde.generic(writer).serializer().serialize(retrain.name(), headers, record);
    input.pipeInput(new TestRecord<>("k", bytes, headers));
    assertThat(output.readValuesToList()).containsExactly("robot");
    assertThat(letters).isEmpty();
    RetrainRequest read = retrain.valueSerde().deserializer().deserialize("t", headers, bytes);
    assertThat(read.getOrigin()).isEqualTo(RetrainOrigin.OTHER);
  }

  @Test
  void anEnumIndexOutsideTheWritersSymbolsIsUndecodable() {
    RetrainRequest request =
        RetrainRequest.newBuilder()
            .setRequestId("r")
            .setModelName("m")
            .setRequestedBy("x")
            .setReason("r")
            .setOrigin(RetrainOrigin.CLI)
            .setRequestedAt(Instant.EPOCH)
            .build();
    byte[] bytes =
        retrain.valueSerde().serializer().serialize(retrain.name(), new RecordHeaders(), request);
    // Single-object header (10 bytes), then "r", "m", "x" (2 bytes each), then the enum index as a
    // zig-zag varint: 60 (0x78) is far past the writer's own symbols.
    int origin = 10 + 2 + 2 + 2;
    assertThat(bytes[origin]).isEqualTo((byte) (RetrainOrigin.CLI.ordinal() * 2));
    bytes[origin] = 0x78;
    DeadLetter letter = onlyLetterAfter(new TestRecord<>("k", bytes, new RecordHeaders()));
    assertThat(letter.getReasonCode()).isEqualTo("UNDECODABLE_VALUE");
  }

  @Test
  void aPoisonExceptionInAProcessorKeepsItsFieldAndLimit() {
    DeadLetter letter = onlyLetterAfter(new TestRecord<>("k", valid("boom", new RecordHeaders())));
    assertThat(letter.getReasonCode()).isEqualTo("INVALID_VALUE");
    assertThat(letter.getField()).isEqualTo("requestedBy");
    assertThat(letter.getLimit()).isEqualTo("not boom");
  }

  @Test
  void anUnforeseenProcessorFailureNamesTheProcessor() {
    DeadLetter letter = onlyLetterAfter(new TestRecord<>("k", valid("bug", new RecordHeaders())));
    assertThat(letter.getReasonCode()).isEqualTo("PROCESSING_FAILED");
    assertThat(letter.getField()).startsWith("KSTREAM-MAPVALUES");
    assertThat(letter.getMessage()).contains("a bug");
  }

  @Test
  void anOutputThatCannotBeSerialisedIsUnpublishable() {
    DeadLetter letter =
        onlyLetterAfter(new TestRecord<>("k", valid("unserialisable", new RecordHeaders())));
    assertThat(letter.getReasonCode()).isEqualTo("UNPUBLISHABLE_OUTPUT");
    assertThat(letter.getField()).isEqualTo("out");
    assertThat(letter.getMessage()).contains("cannot encode");
  }

  @Test
  void aSendFailureIsKafkasRetriedWhenRetriableElseFatal() {
    DeadLetterProductionHandler handler = new DeadLetterProductionHandler();
    handler.configure(
        Map.of(
            DeadLetterHandlers.PUBLISHER_CONFIG,
            (DeadLetterPublisher) (key, letter) -> letters.add(letter)));
    ProducerRecord<byte[], byte[]> sent = new ProducerRecord<>("out", new byte[1], new byte[1]);

    assertThat(handler.handleError(null, sent, new TimeoutException("slow")).result())
        .isEqualTo(ProductionExceptionHandler.Result.RETRY);
    assertThat(handler.handleError(null, sent, new InvalidTopicException("out")).result())
        .isEqualTo(ProductionExceptionHandler.Result.FAIL);
    assertThat(letters).as("no dead letter for Kafka's own failures").isEmpty();
  }
}
