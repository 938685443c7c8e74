package io.spineflow.platform.deadletter;

import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Installs the three dead-lettering exception handlers in a Kafka Streams configuration. Streams
 * instantiates handlers by class name, so their publisher and stage travel as config values.
 */
public final class DeadLetterHandlers {
  /** Config key of the {@link DeadLetterPublisher} instance. */
  static final String PUBLISHER_CONFIG = "spineflow.deadletter.publisher";

  /** Config key of the dead letters' {@code stage} (the service name). */
  static final String STAGE_CONFIG = "spineflow.deadletter.stage";

  private DeadLetterHandlers() {}

  /**
   * Sets the deserialization, processing and production handlers and their stage.
   *
   * @param publisher null to set it later with {@link #publisher} (when the client is created)
   */
  public static Properties install(Properties props, String stage, DeadLetterPublisher publisher) {
    props.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterDeserializationHandler.class.getName());
    props.put(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterProcessingHandler.class.getName());
    props.put(
        StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterProductionHandler.class.getName());
    props.put(STAGE_CONFIG, stage);
    if (publisher != null) {
      publisher(props, publisher);
    }
    return props;
  }

  /** Sets the publisher the handlers use. */
  public static void publisher(Properties props, DeadLetterPublisher publisher) {
    props.put(PUBLISHER_CONFIG, publisher);
  }
}
