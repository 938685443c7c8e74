package io.spineflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.events.DeadLetter;
import io.spineflow.platform.deadletter.DeadLetterHandlers;
import io.spineflow.schemas.Topic;
import io.spineflow.schemas.Topics;
import io.spineflow.testkit.PoisonRecords;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every generic poison kind on every topic the dashboard reads: one dead letter each, with its
 * reason, and the topology still aggregates the valid record sent afterwards.
 */
class DashboardPoisonTest {
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  @TempDir Path stateDir;
  private final Topics topics = Topics.defaults();
  private final List<DeadLetter> letters = new ArrayList<>();

  @Test
  void everyPoisonKindOnEveryInputIsOneDeadLetterAndTheStreamCarriesOn() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "dashboard-poison-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    DeadLetterHandlers.install(props, DashboardService.NAME, (key, letter) -> letters.add(letter));
    List<Topic<String, ?>> inputs = PipelineTraffic.dashboardInputs(topics);
    List<String> expected = new ArrayList<>();
    try (TopologyTestDriver driver =
        new TopologyTestDriver(
            DashboardTopology.buildTopology(DashboardConfig.defaults(""), topics), props)) {
      for (Topic<String, ?> topic : inputs) {
        TestInputTopic<String, byte[]> in =
            driver.createInputTopic(
                topic.name(), new StringSerializer(), Serdes.ByteArray().serializer());
        for (PoisonRecords.Poison poison : PoisonRecords.kinds(topics, topic)) {
          in.pipeInput(new TestRecord<>("p", poison.value(), poison.headers(), T0));
          expected.add(topic.name() + " " + poison.expectedReason());
        }
      }
      assertThat(letters)
          .extracting(d -> d.getOriginalTopic() + " " + d.getReasonCode())
          .containsExactlyElementsOf(expected);
      assertThat(letters).allMatch(d -> d.getStage().equals("dashboard") && d.getField() != null);

      driver
          .createInputTopic(
              topics.deadletter().name(),
              new StringSerializer(),
              topics.deadletter().valueSerde().serializer())
          .pipeInput("after", Events.deadLetter("AFTER_POISON", "valid", T0), T0);
      KeyValueStore<String, Long> totals =
          driver.getKeyValueStore(DashboardStores.DEADLETTER_TOTALS);
      assertThat(totals.get("AFTER_POISON")).isEqualTo(1L);
    }
  }
}
