package io.spineflow.platform.deadletter;

import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

/**
 * A processor that throws on a record (a {@link PoisonException} naming the field and limit, or an
 * unforeseen failure) dead-letters that record and the stream carries on with the next one, instead
 * of the whole service stopping on one input.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {
  private HandlerTarget target;

  @Override
  public void configure(Map<String, ?> configs) {
    target = HandlerTarget.from(configs);
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
    Poison poison =
        exception instanceof PoisonException p
            ? p.poison()
            : Poison.processingFailed(context.processorNodeId(), exception);
    return target.deadLetter(context, poison) ? Response.resume() : Response.fail();
  }
}
