package io.spineflow.testkit;

import io.spineflow.events.DeadLetter;
import io.spineflow.events.RetrainOrigin;
import io.spineflow.events.RetrainRequest;
import io.spineflow.schemas.AvroSerde;
import io.spineflow.schemas.Topic;
import io.spineflow.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The poison records that fit any spineflow topic, each with the reason code its dead letter must
 * carry: garbage bytes, a tombstone, a value whose schema fingerprint is unknown and has no schema
 * header, the same with a corrupt header, and another event's value with its own header.
 * Topic-specific hostile values (NaN pixels, negative sizes) are the services' tests' own.
 */
public final class PoisonRecords {
  private PoisonRecords() {}

  /** One poison record: what it is, its value and headers, and the dead letter's reason code. */
  public record Poison(String kind, byte[] value, Headers headers, String expectedReason) {
    /** As a record for {@code topic} with {@code key}. */
    public ProducerRecord<String, byte[]> on(String topic, String key) {
      return new ProducerRecord<>(topic, null, key, value, headers);
    }
  }

  /** Every generic poison kind for {@code topic} (a topic of {@code topics}). */
  public static List<Poison> kinds(Topics topics, Topic<String, ?> topic) {
    byte[] other = otherEvent(topics, topic, new RecordHeaders());
    byte[] unknown = otherEvent(topics, topic, new RecordHeaders());
    unknown[5] ^= 0x5a; // a fingerprint nobody knows
    RecordHeaders corrupt = new RecordHeaders();
    corrupt.add(AvroSerde.SCHEMA_HEADER, "not deflated".getBytes(StandardCharsets.UTF_8));
    RecordHeaders otherHeaders = new RecordHeaders();
    otherEvent(topics, topic, otherHeaders);
    return List.of(
        new Poison(
            "garbage",
            "\u00c3not avro at all".getBytes(StandardCharsets.UTF_8),
            new RecordHeaders(),
            "UNDECODABLE_VALUE"),
        new Poison("tombstone", null, new RecordHeaders(), "TOMBSTONE"),
        new Poison(
            "unknown schema, no header", unknown, new RecordHeaders(), "SCHEMA_HEADER_INVALID"),
        new Poison("corrupt schema header", unknown.clone(), corrupt, "SCHEMA_HEADER_INVALID"),
        new Poison("another event's schema", other, otherHeaders, "UNDECODABLE_VALUE"));
  }

  /** A valid event of another topic than {@code topic}, in single-object encoding. */
  private static byte[] otherEvent(Topics topics, Topic<String, ?> topic, Headers headers) {
    if (topic.name().equals(topics.deadletter().name())) {
      RetrainRequest request =
          RetrainRequest.newBuilder()
              .setRequestId("poison")
              .setModelName("m")
              .setRequestedBy("poison")
              .setOrigin(RetrainOrigin.CLI)
              .setReason("poison")
              .setRequestedAt(Instant.EPOCH)
              .build();
      return topics.retrain().valueSerde().serializer().serialize("x", headers, request);
    }
    DeadLetter letter =
        DeadLetter.newBuilder()
            .setReasonCode("NOT_A_" + topic.name())
            .setStage("poison")
            .setMessage("poison")
            .setAt(Instant.EPOCH)
            .build();
    return topics.deadletter().valueSerde().serializer().serialize("x", headers, letter);
  }
}
