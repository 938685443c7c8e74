package io.spineflow.platform;

import io.spineflow.events.AuditAction;
import io.spineflow.events.AuditEvent;
import io.spineflow.events.AuditOutcome;
import io.spineflow.schemas.Topic;
import io.spineflow.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes who-did-what records to the append-only {@code audit} topic ({@link AuditEvent}, key: the
 * subject) and waits for the broker's acknowledgement. Services whose action is itself a Kafka
 * transaction (the trainer's promotion) put the record in that transaction instead, with {@link
 * #event}.
 */
public final class AuditPublisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AuditPublisher.class);
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

  private final Producer<String, byte[]> producer;
  private final Topic<String, AuditEvent> topic;
  private final String service;
  private final boolean owned;

  /**
   * @param producer a bytes producer the caller owns (e.g. ingest's doors' producer)
   * @param service the service that records, e.g. {@code ingest}
   */
  public AuditPublisher(Producer<String, byte[]> producer, Topics topics, String service) {
    this(producer, topics, service, false);
  }

  private AuditPublisher(
      Producer<String, byte[]> producer, Topics topics, String service, boolean owned) {
    this.producer = producer;
    this.topic = topics.audit();
    this.service = service;
    this.owned = owned;
  }

  /** A publisher with an idempotent producer of its own, closed with it. */
  public static AuditPublisher create(ServiceContext context) {
    KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            context
                .kafka()
                .producer(
                    context.topics().prefix() + "spineflow-" + context.serviceName() + "-audit",
                    null,
                    context.topics().audit().settings().maxMessageBytes()),
            new StringSerializer(),
            new ByteArraySerializer());
    return new AuditPublisher(producer, context.topics(), context.serviceName(), true);
  }

  /** One audit record; {@code details} in the order given. */
  public static AuditEvent event(
      AuditAction action,
      AuditOutcome outcome,
      String actor,
      String remoteAddress,
      String service,
      String subject,
      Map<String, String> details,
      Instant at) {
    return AuditEvent.newBuilder()
        .setAuditId(UUID.randomUUID().toString())
        .setAction(action)
        .setOutcome(outcome)
        .setActor(actor)
        .setRemoteAddress(remoteAddress)
        .setService(service)
        .setSubject(subject)
        .setDetails(new LinkedHashMap<>(details))
        .setOccurredAt(at)
        .build();
  }

  /**
   * Records {@code action} by {@code actor} on {@code subject} and waits for the acknowledgement.
   *
   * @throws IllegalStateException when Kafka does not acknowledge within 30 s
   */
  public AuditEvent publish(
      AuditAction action,
      AuditOutcome outcome,
      String actor,
      String remoteAddress,
      String subject,
      Map<String, String> details) {
    AuditEvent event =
        event(action, outcome, actor, remoteAddress, service, subject, details, Instant.now());
    RecordHeaders headers = new RecordHeaders();
    byte[] value = topic.valueSerde().serializer().serialize(topic.name(), headers, event);
    try {
      producer
          .send(new ProducerRecord<>(topic.name(), null, subject, value, headers))
          .get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.error(
          "audit record {} {} not acknowledged: {}", action, event.getAuditId(), e.toString());
      throw new IllegalStateException("the audit record was not acknowledged", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while recording an audit record", e);
    }
    return event;
  }

  @Override
  public void close() {
    if (owned) {
      producer.close(Duration.ofSeconds(30));
    }
  }
}
