package io.spineflow.trainer;

import io.spineflow.platform.deadletter.DeadLetterPublisher;
import io.spineflow.platform.deadletter.DeadLetters;
import io.spineflow.platform.deadletter.EventDecoder;
import io.spineflow.platform.deadletter.Poison;
import io.spineflow.platform.deadletter.PoisonException;
import java.time.Instant;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the trainer's consumers decode their records one by one: a poisonous record (undecodable, a
 * tombstone, a bad schema header, a hostile value) is dead-lettered and skipped, so it can neither
 * stop a consumer loop nor reach the training data. Thread-safe (the publisher is).
 */
final class PoisonGate {
  private static final Logger LOG = LoggerFactory.getLogger(PoisonGate.class);
  static final String STAGE = "trainer";

  private final DeadLetterPublisher publisher;

  PoisonGate(DeadLetterPublisher publisher) {
    this.publisher = publisher;
  }

  /** The record's event, or empty once it is dead-lettered. */
  <V> Optional<V> decode(EventDecoder<V> decoder, ConsumerRecord<String, byte[]> record) {
    return decode(decoder, record, UnaryOperator.identity());
  }

  /**
   * @param check throws a {@link PoisonException} for a decoded event breaking its contract
   */
  <V> Optional<V> decode(
      EventDecoder<V> decoder, ConsumerRecord<String, byte[]> record, UnaryOperator<V> check) {
    try {
      return Optional.of(check.apply(decoder.decode(record)));
    } catch (PoisonException e) {
      deadLetter(record, e.poison());
      return Optional.empty();
    }
  }

  private void deadLetter(ConsumerRecord<String, byte[]> record, Poison poison) {
    LOG.warn(
        "dead-lettering the record at {}: {} ({})",
        EventDecoder.source(record).location(),
        poison.reasonCode(),
        poison.field());
    publisher.publish(
        record.key(),
        DeadLetters.of(STAGE, poison, EventDecoder.source(record), null, Instant.now()));
  }
}
