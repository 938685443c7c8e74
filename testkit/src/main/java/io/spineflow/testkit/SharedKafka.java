package io.spineflow.testkit;

import io.spineflow.broker.EmbeddedKafkaBroker;

/**
 * One real embedded KRaft broker per test JVM, started on first use and stopped when the JVM exits.
 * Tests isolate themselves with their own topic prefix ({@link TestTopics}), not their own broker:
 * a broker takes ~2 s to start, a prefix nothing.
 */
public final class SharedKafka {
  private static EmbeddedKafkaBroker broker;

  private SharedKafka() {}

  /** The shared broker's {@code bootstrap.servers}, starting it if needed. */
  public static synchronized String bootstrapServers() {
    if (broker == null) {
      broker = EmbeddedKafkaBroker.startTemporary();
      Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "shared-kafka-stop"));
    }
    return broker.bootstrapServers();
  }
}
