package io.spineflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spineflow.platform.ConfigException;
import io.spineflow.platform.KafkaClients;
import io.spineflow.platform.ServiceContext;
import io.spineflow.platform.ServiceMetrics;
import io.spineflow.platform.Settings;
import io.spineflow.schemas.Topic;
import io.spineflow.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service's contract without a broker: what it owns, and failing fast before Kafka. */
class IngestServiceTest {
  @TempDir Path dir;

  private ServiceContext context(Map<String, String> values) {
    Settings settings = Settings.of(values);
    return new ServiceContext(
        IngestService.NAME,
        settings,
        new KafkaClients("127.0.0.1:1", Map.of()),
        new Topics("x.", 1),
        dir,
        ServiceMetrics.create(IngestService.NAME),
        (short) 1,
        Duration.ofSeconds(1));
  }

  @Test
  void itOwnsTheUploadStudiesAndDeadLetterTopics() {
    assertThat(IngestService.ownedTopics(new Topics("x.", 1)))
        .extracting(Topic::name)
        .containsExactly("x.studies.upload", "x.studies", "x.deadletter", "x.audit");
    assertThat(IngestService.DEFAULT_HTTP_PORT).isEqualTo(8081);
  }

  @Test
  void anUnusableWatchedFolderIsAOneLineConfigErrorBeforeAnyKafkaClientStarts() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
    IngestService service =
        IngestService.create(
            context(
                Map.of("ingest.token", "0123456789abcdef", "ingest.watch.dir", file.toString())));

    assertThatThrownBy(service::start)
        .isInstanceOfSatisfying(
            ConfigException.class, e -> assertThat(e.setting()).isEqualTo("ingest.watch.dir"));
    assertThat(service.health().up()).isFalse();
    assertThat(service.routes())
        .containsOnlyKeys(IngestService.UPLOAD_ROUTE, IngestService.STOW_RS_ROUTE);
    service.close();
  }

  @Test
  void creatingTheServiceWithoutATokenFails() {
    assertThatThrownBy(() -> IngestService.create(context(Map.of())))
        .isInstanceOfSatisfying(
            ConfigException.class, e -> assertThat(e.setting()).isEqualTo("ingest.token"));
  }
}
