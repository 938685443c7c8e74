package io.spineflow.platform.deadletter;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the three Kafka Streams exception handlers share: the publisher and stage they are given
 * through the Streams configuration (Streams instantiates handlers by class name, so objects travel
 * in the config map), and how a failed record becomes one dead letter.
 */
final class HandlerTarget {
  private static final Logger LOG = LoggerFactory.getLogger(HandlerTarget.class);

  private final DeadLetterPublisher publisher;
  private final String stage;

  private HandlerTarget(DeadLetterPublisher publisher, String stage) {
    this.publisher = publisher;
    this.stage = stage;
  }

  static HandlerTarget from(Map<String, ?> configs) {
    if (!(configs.get(DeadLetterHandlers.PUBLISHER_CONFIG)
        instanceof DeadLetterPublisher publisher)) {
      throw new ConfigException(
          DeadLetterHandlers.PUBLISHER_CONFIG,
          configs.get(DeadLetterHandlers.PUBLISHER_CONFIG),
          "must be a DeadLetterPublisher");
    }
    Object stage = configs.get(DeadLetterHandlers.STAGE_CONFIG);
    return new HandlerTarget(publisher, stage == null ? "unknown" : stage.toString());
  }

  /**
   * Publishes the dead letter of the record {@code context} describes.
   *
   * @return whether it was published (only then may the record be skipped)
   */
  boolean deadLetter(ErrorHandlerContext context, Poison poison) {
    String key =
        context.sourceRawKey() == null
            ? null
            : new String(context.sourceRawKey(), StandardCharsets.UTF_8);
    boolean fromTopic = context.topic() != null;
    SourceRecord source =
        new SourceRecord(
            context.topic(),
            fromTopic ? context.partition() : null,
            fromTopic ? context.offset() : null,
            key);
    try {
      publisher.publish(key, DeadLetters.of(stage, poison, source, null, Instant.now()));
    } catch (RuntimeException e) {
      LOG.error(
          "cannot dead-letter {} ({}) of {}: {}; stopping on it instead",
          poison.reasonCode(),
          poison.field(),
          source.location(),
          e.toString());
      return false;
    }
    // Reason and field only: the message may quote the input, which stays out of the logs.
    LOG.warn(
        "dead-lettered {} ({}) at {}; carrying on",
        poison.reasonCode(),
        poison.field(),
        source.location());
    return true;
  }
}
