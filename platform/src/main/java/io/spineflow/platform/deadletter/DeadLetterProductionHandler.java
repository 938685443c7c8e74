package io.spineflow.platform.deadletter;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;

/**
 * An output derived from one record that cannot be serialised, or is larger than the topic takes,
 * dead-letters the input record; every other send failure is Kafka's and is handled as the default
 * handler does: retried when Kafka calls it retriable, else it fails the task (which is retried,
 * exactly-once).
 */
public final class DeadLetterProductionHandler implements ProductionExceptionHandler {
  private HandlerTarget target;

  @Override
  public void configure(Map<String, ?> configs) {
    target = HandlerTarget.from(configs);
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
    if (exception instanceof RecordTooLargeException) {
      return respond(context, record.topic(), exception);
    }
    return exception instanceof RetriableException ? Response.retry() : Response.fail();
  }

  @Override
  @SuppressWarnings("rawtypes")
  public Response handleSerializationError(
      ErrorHandlerContext context,
      ProducerRecord record,
      Exception exception,
      SerializationExceptionOrigin origin) {
    return respond(context, record.topic(), exception);
  }

  private Response respond(ErrorHandlerContext context, String topic, Exception exception) {
    return target.deadLetter(context, Poison.unpublishable(topic, exception))
        ? Response.resume()
        : Response.fail();
  }
}
