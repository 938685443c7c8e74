package io.spineflow.testkit;

import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The same round trip against Kafka in a container (the official apache/kafka image). Runs where a
 * Docker engine exists; elsewhere it is reported as skipped, and {@link EmbeddedKafkaRoundTripIT}
 * covers the path.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerKafkaRoundTripIT {
  @Container static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.4.0");

  @Test
  void committedEventsComeBackThroughRealSerdesAndAbortedOnesDoNot() {
    KafkaRoundTripScenario.run(KAFKA.getBootstrapServers());
  }
}
