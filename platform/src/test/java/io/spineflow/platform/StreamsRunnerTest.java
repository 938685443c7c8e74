package io.spineflow.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.platform.deadletter.DeadLetterDeserializationHandler;
import io.spineflow.platform.deadletter.DeadLetterProcessingHandler;
import io.spineflow.platform.deadletter.DeadLetterProductionHandler;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings every topology runs with, and health before start and after close. */
class StreamsRunnerTest {
  @TempDir Path dataDir;

  private ServiceContext context() {
    return ServiceContext.from(
        "svc",
        Settings.of(
            Map.of(
                "bootstrap.servers", "127.0.0.1:1",
                "topic.prefix", "x.",
                "data.dir", dataDir.toString())));
  }

  @Test
  void everyTopologyDeadLettersRunsExactlyOnceAndIsAStaticMember() {
    ServiceContext context = context();
    Path state = dataDir.resolve("svc").resolve("streams");
    Properties props =
        StreamsRunner.properties(
            context, StreamsRunner.applicationId(context, "spineflow-svc"), state, 1 << 20);
    assertThat(props.get(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("x.spineflow-svc");
    assertThat(props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))
        .isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
    assertThat(props.get(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG))
        .isEqualTo(DeadLetterDeserializationHandler.class.getName());
    assertThat(props.get(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG))
        .isEqualTo(DeadLetterProcessingHandler.class.getName());
    assertThat(props.get(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG))
        .isEqualTo(DeadLetterProductionHandler.class.getName());
    assertThat(props.get("main.consumer.group.instance.id")).asString().startsWith("svc-");
    // Changelogs and repartition topics as the broker's default (never a forced 1), and a
    // transaction long enough to decode a 256 MiB upload.
    assertThat(props.get(StreamsConfig.REPLICATION_FACTOR_CONFIG)).isEqualTo(-1);
    assertThat(props.get("producer.transaction.timeout.ms")).isEqualTo(60_000);
  }

  @Test
  void theInstanceIdIsStableForAStateDirectoryAndUniqueAcrossThem() {
    Path a = dataDir.resolve("a").resolve("streams");
    Path b = dataDir.resolve("b").resolve("streams");
    String first = StreamsRunner.instanceId(a, "svc");
    assertThat(StreamsRunner.instanceId(a, "svc")).isEqualTo(first);
    assertThat(StreamsRunner.instanceId(b, "svc")).isNotEqualTo(first);
  }

  @Test
  void isStartingBeforeStartAndStoppedAfterClose() {
    ServiceContext context = context();
    StreamsRunner runner =
        new StreamsRunner(
            context, StreamsRunner.properties(context, "app", dataDir.resolve("streams"), 1 << 20));
    assertThat(runner.health(Map.of()).state()).isEqualTo("STARTING");
    runner.close();
    Health closed = runner.health(Map.of("extra", 1));
    assertThat(closed.up()).isFalse();
    assertThat(closed.state()).isEqualTo("STOPPED");
    assertThat(closed.details()).containsEntry("extra", 1);
  }
}
