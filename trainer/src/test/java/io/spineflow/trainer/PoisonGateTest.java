package io.spineflow.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.events.DeadLetter;
import io.spineflow.events.Slice;
import io.spineflow.platform.deadletter.EventDecoder;
import io.spineflow.schemas.Topic;
import io.spineflow.schemas.Topics;
import io.spineflow.testkit.PoisonRecords;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/**
 * Each poison kind on each topic the trainer reads, through the gate its consumers decode with: one
 * dead letter with its reason, and nothing for the consumer; a valid record passes.
 */
class PoisonGateTest {
  private final Topics topics = new Topics("", 1);
  private final List<DeadLetter> letters = new ArrayList<>();
  private final PoisonGate gate = new PoisonGate((key, letter) -> letters.add(letter));

  @Test
  void everyGenericPoisonKindOnEveryInputIsOneDeadLetter() {
    List<Topic<String, ?>> inputs =
        List.of(topics.slices(), topics.slicesSummary(), topics.retrain(), topics.models());
    List<String> expected = new ArrayList<>();
    for (Topic<String, ?> topic : inputs) {
      EventDecoder<?> decoder = new EventDecoder<>(topic);
      for (PoisonRecords.Poison p : PoisonRecords.kinds(topics, topic)) {
        assertThat(gate.decode(decoder, record(topic.name(), p.value(), p.headers())))
            .as(p.kind())
            .isEmpty();
        expected.add(topic.name() + " " + p.expectedReason());
      }
    }
    assertThat(letters)
        .extracting(d -> d.getOriginalTopic() + " " + d.getReasonCode())
        .containsExactlyElementsOf(expected);
    assertThat(letters).allMatch(d -> d.getStage().equals("trainer") && d.getLimit() != null);
  }

  @Test
  void aHostileSliceIsDeadLetteredAndAValidOnePasses() {
    Slice valid = PhantomSlices.events(TinyData.examples(List.of("gate-0")), true).get(0);
    Slice hostile = Slice.newBuilder(valid).setPixels(ByteBuffer.allocate(3)).build();
    EventDecoder<Slice> decoder = new EventDecoder<>(topics.slices());

    Optional<Slice> refused = gate.decode(decoder, encoded(hostile), DataFollower::withinContract);
    Optional<Slice> taken = gate.decode(decoder, encoded(valid), DataFollower::withinContract);

    assertThat(refused).isEmpty();
    assertThat(taken).contains(valid);
    assertThat(letters).hasSize(1);
    assertThat(letters.get(0).getReasonCode()).isEqualTo("INVALID_VALUE");
    assertThat(letters.get(0).getField()).isEqualTo("pixels");
  }

  private ConsumerRecord<String, byte[]> encoded(Slice slice) {
    RecordHeaders headers = new RecordHeaders();
    byte[] bytes =
        topics.slices().valueSerde().serializer().serialize(topics.slices().name(), headers, slice);
    return record(topics.slices().name(), bytes, headers);
  }

  private static ConsumerRecord<String, byte[]> record(String topic, byte[] value, Headers h) {
    return new ConsumerRecord<>(
        topic,
        0,
        0L,
        0L,
        TimestampType.CREATE_TIME,
        0,
        value == null ? 0 : value.length,
        "k",
        value,
        h,
        Optional.empty());
  }
}
