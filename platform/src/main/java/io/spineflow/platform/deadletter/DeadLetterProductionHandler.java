package io.spineflow.platform.deadletter;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;

/**
 * An output derived from one record that cannot be serialised, or is larger than the topic takes,
 * dead-letters the input record; every other send failure is Kafka's and fails the task (it is
 * retried, exactly-once), as the default handler does.
 */
public final class DeadLetterProductionHandler implements ProductionExceptionHandler {
  private HandlerTarget target;

  @Override
  public void configure(Map<String, ?> configs) {
    target = HandlerTarget.from(configs);
  }

  @Override
  public ProductionExceptionHandlerResponse handle(
      ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
    if (!(exception instanceof RecordTooLargeException)) {
      return ProductionExceptionHandlerResponse.FAIL;
    }
    return respond(context, record.topic(), exception);
  }

  @Override
  @SuppressWarnings("rawtypes")
  public ProductionExceptionHandlerResponse handleSerializationException(
      ErrorHandlerContext context,
      ProducerRecord record,
      Exception exception,
      SerializationExceptionOrigin origin) {
    return respond(context, record.topic(), exception);
  }

  private ProductionExceptionHandlerResponse respond(
      ErrorHandlerContext context, String topic, Exception exception) {
    return target.deadLetter(context, Poison.unpublishable(topic, exception))
        ? ProductionExceptionHandlerResponse.CONTINUE
        : ProductionExceptionHandlerResponse.FAIL;
  }
}
