package io.spineflow.preprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.platform.ServiceContext;
import io.spineflow.platform.Settings;
import io.spineflow.platform.deadletter.DeadLetterDeserializationHandler;
import io.spineflow.schemas.Topic;
import io.spineflow.schemas.Topics;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service's wiring, without a broker. */
class PreprocessServiceTest {
  @TempDir Path dataDir;

  private ServiceContext context() {
    return ServiceContext.from(
        PreprocessService.NAME,
        Settings.of(
            Map.of(
                "bootstrap.servers", "127.0.0.1:1",
                "topic.prefix", "x.",
                "data.dir", dataDir.toString())));
  }

  @Test
  void ownsItsOutputTopicsOnly() {
    Topics topics = new Topics("x.", 3);
    assertThat(PreprocessService.ownedTopics(topics))
        .extracting(Topic::name)
        .containsExactly("x.slices", "x.slices.summary", "x.deadletter");
    assertThat(PreprocessService.DEFAULT_HTTP_PORT).isEqualTo(8082);
  }

  @Test
  void streamsRunWithThePlatformSettingsAndStateUnderTheServiceDirectory() {
    ServiceContext context = context();
    PreprocessService service = PreprocessService.create(context);
    Path stateDir = service.stateDir();
    assertThat(stateDir).isEqualTo(dataDir.resolve("preprocess").resolve("streams"));
    Properties props =
        PreprocessService.streamsProperties(
            context, PreprocessConfig.from(context.settings()), stateDir);
    assertThat(props.get(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("x.spineflow-preprocess");
    assertThat(props.get(StreamsConfig.STATE_DIR_CONFIG)).isEqualTo(stateDir.toString());
    assertThat(props.get(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG)).isEqualTo(0);
    assertThat(props.get(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG))
        .isEqualTo(DeadLetterDeserializationHandler.class.getName());
    assertThat(props.get("main.consumer.group.instance.id")).asString().startsWith("preprocess-");
  }

  @Test
  void isDownUntilStarted() {
    PreprocessService service = PreprocessService.create(context());
    assertThat(service.name()).isEqualTo("preprocess");
    assertThat(service.health().up()).isFalse();
    assertThat(service.health().state()).isEqualTo("STARTING");
    service.close(); // closing a service that never started is harmless
  }
}
