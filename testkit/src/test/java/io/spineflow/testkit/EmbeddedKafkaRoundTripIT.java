package io.spineflow.testkit;

import org.junit.jupiter.api.Test;

/** The round trip against the in-process KRaft broker (runs everywhere). */
class EmbeddedKafkaRoundTripIT {
  @Test
  void committedEventsComeBackThroughRealSerdesAndAbortedOnesDoNot() {
    KafkaRoundTripScenario.run(SharedKafka.bootstrapServers());
  }
}
