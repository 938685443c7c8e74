package io.spineflow.platform.deadletter;

import io.spineflow.events.DeadLetter;
import io.spineflow.schemas.Topic;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * Publishes dead letters with an idempotent producer of its own and waits for the broker's
 * acknowledgement, so a record is only skipped once its dead letter is stored. Outside any
 * transaction: after a crash between the dead letter and the next commit, the record is read again
 * and dead-lettered twice (at least once, never lost).
 */
public final class KafkaDeadLetterPublisher implements DeadLetterPublisher, AutoCloseable {
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

  private final Producer<String, DeadLetter> producer;
  private final String topic;

  public KafkaDeadLetterPublisher(Producer<String, DeadLetter> producer, String topic) {
    this.producer = producer;
    this.topic = topic;
  }

  /** A publisher with its own producer built from {@code producerConfig}. */
  public static KafkaDeadLetterPublisher create(
      Map<String, Object> producerConfig, Topic<String, DeadLetter> deadletter) {
    return new KafkaDeadLetterPublisher(
        new KafkaProducer<>(
            producerConfig,
            deadletter.keySerde().serializer(),
            deadletter.valueSerde().serializer()),
        deadletter.name());
  }

  @Override
  public void publish(String key, DeadLetter letter) {
    try {
      producer
          .send(new ProducerRecord<>(topic, key, letter))
          .get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("interrupted while publishing a dead letter", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new KafkaException("dead letter not acknowledged: " + e, e);
    }
  }

  @Override
  public void close() {
    producer.close(ACK_TIMEOUT);
  }
}
