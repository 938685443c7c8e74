package io.spineflow.platform.deadletter;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * A record Kafka Streams cannot decode (undecodable bytes, a bad schema header, or a tombstone
 * refused by {@link StrictSerde}) becomes one dead letter and the stream carries on. If the dead
 * letter cannot be published, the stream fails rather than lose the record silently.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {
  private HandlerTarget target;

  @Override
  public void configure(Map<String, ?> configs) {
    target = HandlerTarget.from(configs);
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    Poison poison =
        exception instanceof PoisonException p
            ? p.poison()
            : Poison.undecodable("event of " + record.topic(), exception);
    return target.deadLetter(context, poison) ? Response.resume() : Response.fail();
  }
}
